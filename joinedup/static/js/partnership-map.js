// The partnership map (partnerships/map.html): draws the nodes and edges of
// /partnerships/map/data.json at the positions the server worked out
// (joinedup/partnerships/map.py), so that a city of thousands of nodes draws at once instead of
// running a physics layout in the page. The filters are the page's GET form: a change fetches
// the data for the new filters and shows only what it holds, leaving everything where it was.
//
// Nodes are cytoscape.js elements (clicks, selection, zoom and labels). Edges are drawn by
// this script on a canvas underneath, following cytoscape's viewport: as cytoscape elements,
// a city's 6,000 seats cost the browser seconds to set up, and nobody clicks a line (a node's
// details list its links).
//
// Once drawn, the map element says so for tests and the benchmark: data-map-ready="true" and
// data-drawn-nodes="<nodes on the map>".
(function () {
  "use strict";

  // Marks for the benchmark (benchmarks/partnership_map.py): where the time to a drawn map goes.
  function mark(name) {
    if (window.performance && performance.mark) {
      performance.mark("partnership-map:" + name);
    }
  }
  mark("script");

  var container = document.getElementById("partnership-map");
  if (!container || typeof window.cytoscape !== "function") {
    return;
  }
  var form = document.getElementById("map-filters");
  var status = document.getElementById("map-status");
  var details = document.getElementById("map-details");
  var tableLink = document.getElementById("map-table-link");
  var dataUrl = container.getAttribute("data-map-url");
  var tableUrl = tableLink ? tableLink.getAttribute("href").split("?")[0] : "";
  // Above this many nodes the drawing trades finish for speed while moving.
  var LARGE = 1500;
  // Above this many nodes people are left off the drawing (they are still in the details
  // and the table): a city's thousands of representatives double what the browser has to lay
  // out, and at that scale they are specks. A filter brings them back.
  var PEOPLE_LIMIT = 2500;

  var SECTOR_COLOURS = {
    Statutory: "#1d70b8",
    "Voluntary, community and faith": "#00703c",
    Other: "#f47738",
  };
  var LEVEL_SIZES = {
    city_wide_steering_group: 44,
    local_steering_group: 36,
    panel: 30,
    keyworkers: 26,
    other: 28,
  };

  var EDGE_STYLES = {
    membership: { colour: "#b1b4b6", width: 1, dash: null },
    delegated: { colour: "#8e9194", width: 2.5, dash: null },
    representation: { colour: "#505a5f", width: 0.8, dash: [2, 2] },
    relationship: { colour: "#d4351c", width: 2, dash: [6, 4] },
  };

  var cy = null;
  var version = null;
  var everyone = {};
  var edges = [];
  var adjacency = {};
  var drawn = new Set();
  var highlighted = null;
  var peopleLeftOff = false;
  var underlay = document.createElement("canvas");
  underlay.className = "app-map__edges";
  underlay.setAttribute("aria-hidden", "true");
  container.appendChild(underlay);
  var fetchedQuery = null;
  var matches = [];
  var cursor = -1;

  function say(text) {
    status.textContent = text;
  }

  function plural(count, one, many) {
    return count.toLocaleString("en-GB") + " " + (count === 1 ? one : many);
  }

  // ------------------------------------------------------------------ data

  function filterQuery() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "q" && value) {
        params.append(name, value);
      }
    });
    return params.toString();
  }

  function pageQuery() {
    var params = new URLSearchParams(filterQuery());
    var q = searchText();
    if (q) {
      params.set("q", q);
    }
    return params.toString();
  }

  function searchText() {
    var field = form.elements.namedItem("q");
    return field ? field.value.trim() : "";
  }

  // The nodes to give cytoscape; keeps every node's data, the edges and who links to whom.
  function elements(data) {
    everyone = {};
    adjacency = {};
    drawn = new Set();
    peopleLeftOff = data.nodes.length > PEOPLE_LIMIT;
    var out = [];
    data.nodes.forEach(function (node) {
      everyone[node.id] = node;
      adjacency[node.id] = [];
      if (!(peopleLeftOff && node.type === "person")) {
        drawn.add(node.id);
        out.push({ group: "nodes", data: node, position: { x: node.x, y: node.y } });
      }
    });
    edges = data.edges;
    edges.forEach(function (edge) {
      adjacency[edge.source].push(edge);
      adjacency[edge.target].push(edge);
    });
    return out;
  }

  // ------------------------------------------------------------------ edges

  function edgeStyle(edge) {
    if (edge.type === "membership") {
      return edge.delegated_authority ? EDGE_STYLES.delegated : EDGE_STYLES.membership;
    }
    return EDGE_STYLES[edge.type];
  }

  var edgeFrame = null;
  function scheduleEdges() {
    if (edgeFrame === null) {
      edgeFrame = requestAnimationFrame(function () {
        edgeFrame = null;
        drawEdges();
      });
    }
  }

  function drawEdges() {
    var ratio = window.devicePixelRatio || 1;
    var width = container.clientWidth;
    var height = container.clientHeight;
    if (underlay.width !== Math.round(width * ratio) || underlay.height !== Math.round(height * ratio)) {
      underlay.width = Math.round(width * ratio);
      underlay.height = Math.round(height * ratio);
    }
    var context = underlay.getContext("2d");
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, underlay.width, underlay.height);
    if (!cy) {
      return;
    }
    var zoom = cy.zoom();
    var pan = cy.pan();
    context.setTransform(zoom * ratio, 0, 0, zoom * ratio, pan.x * ratio, pan.y * ratio);
    // Lines keep about the same width on screen as the map zooms out, never thinner than a
    // third of it, so that a city's map is not a blur.
    var scale = Math.min(1, Math.max(zoom, 0.35)) / zoom;
    // One path per look (and per faded or not): a few strokes instead of thousands.
    var paths = {};
    edges.forEach(function (edge) {
      if (!drawn.has(edge.source) || !drawn.has(edge.target)) {
        return;
      }
      var look = edgeStyle(edge);
      var faded = highlighted !== null && !highlighted.has(edge.source) && !highlighted.has(edge.target);
      var key = edge.type + (look === EDGE_STYLES.delegated ? "+" : "") + (faded ? "-" : "");
      var path = paths[key] || (paths[key] = { look: look, faded: faded, lines: [] });
      path.lines.push(everyone[edge.source], everyone[edge.target]);
    });
    Object.keys(paths).forEach(function (key) {
      var path = paths[key];
      context.beginPath();
      for (var i = 0; i < path.lines.length; i += 2) {
        context.moveTo(path.lines[i].x, path.lines[i].y);
        context.lineTo(path.lines[i + 1].x, path.lines[i + 1].y);
      }
      context.globalAlpha = path.faded ? 0.12 : 0.9;
      context.strokeStyle = path.look.colour;
      context.lineWidth = path.look.width * scale;
      context.setLineDash(
        path.look.dash
          ? path.look.dash.map(function (d) {
              return d * scale;
            })
          : [],
      );
      context.stroke();
    });
    context.globalAlpha = 1;
  }

  function load(query) {
    fetchedQuery = query;
    say("Loading the map…");
    // The same request as the page's preload (partnerships/map.html), so that the first one
    // is answered from it.
    return fetch(dataUrl + (query ? "?" + query : ""), { credentials: "same-origin" }).then(function (response) {
      mark("response");
      if (!response.ok) {
        throw new Error("The map's data could not be loaded (" + response.status + ").");
      }
      return response.json();
    });
  }

  // ------------------------------------------------------------------ drawing

  // Plain values by selector rather than functions: cytoscape runs a function for every
  // element each time styles are worked out, which at city scale costs seconds.
  function style() {
    var rules = [
      {
        selector: "node",
        style: {
          label: "data(name)",
          "font-size": 10,
          "min-zoomed-font-size": 9,
          "text-valign": "bottom",
          "text-margin-y": 3,
          color: "#0b0c0c",
          "text-outline-color": "#ffffff",
          "text-outline-width": 1,
        },
      },
      {
        selector: 'node[type = "organisation"]',
        style: {
          shape: "ellipse",
          width: 14,
          height: 14,
          "background-color": SECTOR_COLOURS.Other,
        },
      },
      {
        selector: 'node[type = "person"]',
        style: {
          shape: "triangle",
          width: 9,
          height: 9,
          "background-color": "#505a5f",
          "font-size": 8,
          "min-zoomed-font-size": 10,
        },
      },
      {
        selector: 'node[type = "partnership"]',
        style: {
          shape: "round-rectangle",
          width: LEVEL_SIZES.other,
          height: LEVEL_SIZES.other,
          "background-color": "#4c2c92",
          "font-size": 12,
          "font-weight": "bold",
          "min-zoomed-font-size": 6,
        },
      },
    ];
    Object.keys(SECTOR_COLOURS).forEach(function (sector) {
      rules.push({
        selector: 'node[type = "organisation"][sector = "' + sector + '"]',
        style: { "background-color": SECTOR_COLOURS[sector] },
      });
    });
    Object.keys(LEVEL_SIZES).forEach(function (level) {
      rules.push({
        selector: 'node[type = "partnership"][level = "' + level + '"]',
        style: { width: LEVEL_SIZES[level], height: LEVEL_SIZES[level] },
      });
    });
    return rules.concat([
      { selector: ".faded", style: { opacity: 0.12, "text-opacity": 0 } },
      {
        selector: "node.match",
        style: {
          "border-width": 4,
          "border-color": "#ffdd00",
          "min-zoomed-font-size": 0,
          "z-index": 10,
        },
      },
      {
        selector: "node:selected",
        style: {
          "border-width": 4,
          "border-color": "#0b0c0c",
          "min-zoomed-font-size": 0,
          "z-index": 20,
        },
      },
    ]);
  }

  function markDrawn() {
    drawEdges();
    // Two frames: cytoscape draws on the next animation frame after a change.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        container.setAttribute("data-drawn-nodes", String(cy.nodes().length));
        container.setAttribute("data-map-ready", "true");
        mark("ready");
      });
    });
  }

  var lastCounts = { organisations: 0, people: 0, partnerships: 0 };

  function summarise(counts) {
    lastCounts = counts;
    if (!counts.organisations && !counts.partnerships) {
      say(
        fetchedQuery
          ? "Nothing matches these filters. Try removing a filter."
          : "There is nothing to draw yet: no partnership has members.",
      );
      return;
    }
    say(
      "Showing " +
        plural(counts.organisations, "organisation", "organisations") +
        ", " +
        plural(counts.people, "person", "people") +
        " and " +
        plural(counts.partnerships, "partnership", "partnerships") +
        "." +
        (peopleLeftOff
          ? " People are left off the drawing at this size (they are in each organisation's details and in the table): choose a locality, a sector or a partnership to see them."
          : ""),
    );
  }

  function draw(data) {
    mark("data");
    version = data.version;
    var large = data.nodes.length > LARGE;
    cy = window.cytoscape({
      container: container,
      elements: elements(data),
      style: style(),
      layout: { name: "preset", fit: true, padding: 30 },
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      hideLabelsOnViewport: large,
      textureOnViewport: large,
      pixelRatio: large ? 1 : "auto",
      motionBlur: false,
    });
    mark("created");
    cy.on("tap", "node", function (event) {
      select(event.target);
      showDetails(event.target);
    });
    cy.on("viewport resize", scheduleEdges);
    summarise(data.counts);
    search(false);
    markDrawn();
  }

  function redraw(data) {
    var incoming = elements(data);
    var wanted = drawn;
    var same = data.version === version;
    version = data.version;
    cy.batch(function () {
      // The same ids stand for the same nodes only while the network's nodes are the same.
      cy.elements()
        .filter(function (element) {
          return !same || !wanted.has(element.id());
        })
        .remove();
      cy.add(
        incoming.filter(function (element) {
          return cy.getElementById(element.data.id).empty();
        }),
      );
    });
    if (cy.nodes().length) {
      cy.fit(cy.nodes(), 30);
    }
    summarise(data.counts);
    search(false);
    markDrawn();
  }

  // ------------------------------------------------------------------ search and keyboard

  function search(zoom) {
    var q = searchText().toLocaleLowerCase("en-GB");
    matches = [];
    cursor = -1;
    highlighted = null;
    cy.batch(function () {
      cy.nodes(".faded, .match").removeClass("faded match");
      if (!q) {
        return;
      }
      var found = cy.nodes().filter(function (node) {
        return node.data("name").toLocaleLowerCase("en-GB").indexOf(q) !== -1;
      });
      matches = found.sort(byName).toArray();
      if (matches.length) {
        cy.nodes().difference(found).addClass("faded");
        found.addClass("match");
        highlighted = new Set(
          matches.map(function (node) {
            return node.id();
          }),
        );
      }
    });
    scheduleEdges();
    if (!q) {
      return;
    }
    if (!matches.length) {
      say("Nothing on the map is called “" + searchText() + "”.");
      return;
    }
    say(
      plural(matches.length, "match", "matches") +
        " for “" +
        searchText() +
        "”. In the map, the arrow keys move between them and Enter shows the details.",
    );
    if (zoom) {
      cy.fit(cy.collection(matches), 80);
      if (cy.zoom() > 1.5) {
        var box = cy.collection(matches).boundingBox();
        cy.zoom({ level: 1.5, position: { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 } });
      }
    }
    if (matches.length === 1) {
      select(matches[0]);
      showDetails(matches[0]);
    }
  }

  function byName(a, b) {
    return a.data("name").localeCompare(b.data("name"), "en-GB");
  }

  function select(node) {
    cy.nodes(":selected").unselect();
    node.select();
  }

  function describe(node) {
    var type = node.data("type");
    return node.data("name") + ", " + (type === "person" ? "person" : type);
  }

  function step(by) {
    var list = matches.length ? matches : cy.nodes().sort(byName).toArray();
    if (!list.length) {
      return;
    }
    cursor = (cursor + by + list.length) % list.length;
    var node = list[cursor];
    select(node);
    if (cy.zoom() < 0.8) {
      cy.zoom({ level: 1, position: node.position() });
    }
    cy.center(node);
    say(describe(node) + " (" + (cursor + 1) + " of " + list.length + "). Enter shows its details.");
  }

  container.addEventListener("keydown", function (event) {
    if (!cy) {
      return;
    }
    if (event.key === "ArrowRight" || event.key === "ArrowDown") {
      step(1);
    } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
      step(-1);
    } else if (event.key === "Enter") {
      var chosen = cy.nodes(":selected");
      if (chosen.length) {
        showDetails(chosen[0]);
      } else {
        step(1);
      }
    } else if (event.key === "Escape") {
      var field = form.elements.namedItem("q");
      if (field) {
        field.value = "";
      }
      search(false);
      summarise(lastCounts);
    } else {
      return;
    }
    event.preventDefault();
  });

  // ------------------------------------------------------------------ details

  function el(tag, className, text) {
    var element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function link(text, href) {
    if (!href) {
      return document.createTextNode(text);
    }
    var a = el("a", "govuk-link", text);
    a.href = href;
    return a;
  }

  function list(title, items, empty) {
    var fragment = document.createDocumentFragment();
    fragment.appendChild(el("h3", "govuk-heading-s govuk-!-margin-bottom-1", title));
    if (!items.length) {
      fragment.appendChild(el("p", "govuk-body-s", empty));
      return fragment;
    }
    var ul = el("ul", "govuk-list govuk-body-s");
    items.forEach(function (parts) {
      var li = el("li");
      parts.forEach(function (part) {
        li.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
      });
      ul.appendChild(li);
    });
    fragment.appendChild(ul);
    return fragment;
  }

  function names(ids) {
    return ids
      .map(function (id) {
        return everyone[id] ? everyone[id].name : "";
      })
      .filter(Boolean);
  }

  function seat(edge) {
    var parts = [];
    var roles = edge.roles || [];
    if (roles.length) {
      parts.push(" (" + roles.join(", ").toLowerCase() + ")");
    }
    if (edge.delegated_authority) {
      parts.push(", with delegated authority");
    }
    var people = names(edge.people || []);
    if (people.length) {
      parts.push(": " + people.join(", "));
    }
    return parts.join("");
  }

  function edgesOf(id, type) {
    return (adjacency[id] || []).filter(function (edge) {
      return edge.type === type;
    });
  }

  function other(edge, id) {
    return everyone[edge.source === id ? edge.target : edge.source];
  }

  function showDetails(node) {
    var data = everyone[node.id()];
    var id = data.id;
    details.replaceChildren();
    details.appendChild(el("h2", "govuk-heading-s govuk-!-margin-bottom-1", data.name));
    if (data.type === "organisation") {
      details.appendChild(el("p", "govuk-body-s", "Organisation: " + data.kind + ". " + data.sector + "."));
      details.appendChild(
        el(
          "p",
          "govuk-body-s",
          "Works in: " + (data.localities.length ? data.localities.join(", ") : "the whole city") + ".",
        ),
      );
      var seats = edgesOf(id, "membership");
      details.appendChild(
        list(
          "Partnerships",
          seats.map(function (edge) {
            var partnership = everyone[edge.target];
            return [link(partnership.name, partnership.url), seat(edge)];
          }),
          "Sits on no partnership shown.",
        ),
      );
      var representatives = {};
      seats.forEach(function (edge) {
        (edge.people || []).forEach(function (person) {
          representatives[person] = everyone[person];
        });
      });
      details.appendChild(
        list(
          "Representatives",
          Object.keys(representatives)
            .filter(function (person) {
              return representatives[person];
            })
            .map(function (person) {
              var who = representatives[person];
              return [who.name + (who.kind ? ", " + who.kind : "")];
            }),
          "None named.",
        ),
      );
      details.appendChild(
        list(
          "Joint work and introductions",
          edgesOf(id, "relationship").map(function (edge) {
            var kinds = (edge.kinds || []).join(", ");
            return [
              other(edge, id).name +
                (kinds ? " (" + kinds + ")" : "") +
                (edge.latest ? ", latest " + edge.latest : ""),
            ];
          }),
          "None logged.",
        ),
      );
    } else if (data.type === "partnership") {
      details.appendChild(
        el("p", "govuk-body-s", data.kind + " · " + data.level_label + " · " + data.locality + "."),
      );
      if (data.url) {
        var page = el("p", "govuk-body-s");
        page.appendChild(link("Open the partnership's page", data.url));
        details.appendChild(page);
      }
      details.appendChild(
        list(
          "Members",
          edgesOf(id, "membership").map(function (edge) {
            return [everyone[edge.source].name + seat(edge)];
          }),
          "No member organisation shown.",
        ),
      );
    } else {
      details.appendChild(el("p", "govuk-body-s", "Person" + (data.kind ? ": " + data.kind : "") + "."));
      var represented = edgesOf(id, "representation").map(function (edge) {
        return everyone[edge.target];
      });
      details.appendChild(
        list(
          "Represents",
          represented.map(function (org) {
            return [org.name];
          }),
          "No organisation shown.",
        ),
      );
      var sits = [];
      represented.forEach(function (org) {
        edgesOf(org.id, "membership").forEach(function (edge) {
          if ((edge.people || []).indexOf(id) !== -1) {
            var partnership = everyone[edge.target];
            sits.push([link(partnership.name, partnership.url), " for " + org.name]);
          }
        });
      });
      details.appendChild(list("Sits on", sits, "No partnership shown."));
    }
  }

  // ------------------------------------------------------------------ the form

  function apply(zoom) {
    var query = filterQuery();
    var address = window.location.pathname + (pageQuery() ? "?" + pageQuery() : "");
    window.history.replaceState(null, "", address);
    if (tableLink) {
      tableLink.href = tableUrl + (pageQuery() ? "?" + pageQuery() : "");
    }
    if (query === fetchedQuery) {
      search(zoom);
      return;
    }
    container.setAttribute("data-map-ready", "false");
    load(query)
      .then(function (data) {
        redraw(data);
        if (zoom) {
          search(true);
        }
      })
      .catch(function (error) {
        say(error.message);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply(true);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name !== "q") {
      apply(false);
    }
  });

  load(filterQuery())
    .then(function (data) {
      draw(data);
      if (searchText()) {
        search(true);
      }
    })
    .catch(function (error) {
      say(error.message);
    });
})();
