#!/usr/bin/env node
// Build the front-end assets into joinedup/static/dist/ (git-ignored).
//   - app.css                 assets/scss/app.scss compiled (GOV.UK Frontend + app styles)
//   - govuk-frontend.min.js   GOV.UK Frontend JavaScript
//   - govuk/assets/           GOV.UK Frontend images and manifests (no fonts: we do not use GDS Transport)
//   - htmx.min.js             htmx
//   - cytoscape.min.js        cytoscape.js, which draws the partnership map
// Idempotent: the output directory is rebuilt from scratch each run.
// Usage: npm run build   (after npm ci)

import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const dist = join(root, "joinedup", "static", "dist");
const govuk = join(modules, "govuk-frontend", "dist", "govuk");

function need(path) {
  if (!existsSync(path)) {
    console.error(`build-assets: missing ${relative(root, path)} (run \`npm ci\` first)`);
    process.exit(1);
  }
  return path;
}

function copy(from, to, options = {}) {
  cpSync(need(from), to, { recursive: true, ...options });
  console.log(`  ${relative(root, to)}`);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
console.log("build-assets: writing joinedup/static/dist/");

// 1. Stylesheet
const result = sass.compile(need(join(root, "assets", "scss", "app.scss")), {
  style: "compressed",
  sourceMap: false,
  loadPaths: [modules],
  quietDeps: true,
  // GOV.UK Frontend 5 is written with @import, so our entry point must @import it too.
  silenceDeprecations: ["import"],
});
if (result.css.includes("GDS Transport")) {
  console.error("build-assets: app.css mentions GDS Transport; it must not (licence)");
  process.exit(1);
}
writeFileSync(join(dist, "app.css"), result.css + "\n");
console.log(`  ${relative(root, join(dist, "app.css"))}`);

// 2. JavaScript
copy(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk-frontend.min.js"));
copy(join(modules, "htmx.org", "dist", "htmx.min.js"), join(dist, "htmx.min.js"));
copy(join(modules, "cytoscape", "dist", "cytoscape.min.js"), join(dist, "cytoscape.min.js"));

// 3. GOV.UK Frontend images and manifests, without the GDS Transport fonts
const fonts = join(govuk, "assets", "fonts");
copy(join(govuk, "assets"), join(dist, "govuk", "assets"), {
  filter: (src) => src !== fonts && !src.startsWith(fonts + sep),
});

console.log("build-assets: done");
