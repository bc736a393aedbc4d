// The partnership map (partnerships/map.html): draws the nodes and edges of
// /partnerships/map/data.json with cytoscape.js, at the positions the server worked out
// (joinedup/partnerships/map.py), so that a city of thousands of nodes draws at once instead of
// running a physics layout in the page. The filters are the page's GET form: a change fetches
// the data for the new filters and shows only what it holds, leaving everything where it was.
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

  var cy = null;
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

  function elements(data) {
    var out = new Array(data.nodes.length + data.edges.length);
    var i = 0;
    data.nodes.forEach(function (node) {
      out[i++] = { group: "nodes", data: node, position: { x: node.x, y: node.y } };
    });
    data.edges.forEach(function (edge) {
      out[i++] = { group: "edges", data: edge };
    });
    return out;
  }

  function load(query) {
    fetchedQuery = query;
    say("Loading the map…");
    return fetch(dataUrl + (query ? "?" + query : ""), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      mark("response");
      if (!response.ok) {
        throw new Error("The map's data could not be loaded (" + response.status + ").");
      }
      return response.json();
    });
  }

  // ------------------------------------------------------------------ drawing

  function style() {
    return [
      {
        selector: "node",
        style: {
          label: "data(name)",
          "font-size": 10,
          "min-zoomed-font-size": 9,
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": 140,
          color: "#0b0c0c",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.7,
        },
      },
      {
        selector: 'node[type = "organisation"]',
        style: {
          shape: "ellipse",
          width: 14,
          height: 14,
          "background-color": function (node) {
            return SECTOR_COLOURS[node.data("sector")] || SECTOR_COLOURS.Other;
          },
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
          width: function (node) {
            return LEVEL_SIZES[node.data("level")] || 28;
          },
          height: function (node) {
            return LEVEL_SIZES[node.data("level")] || 28;
          },
          "background-color": "#4c2c92",
          "font-size": 12,
          "font-weight": "bold",
          "min-zoomed-font-size": 6,
        },
      },
      {
        selector: "edge",
        style: { "curve-style": "haystack", width: 1, "line-color": "#b1b4b6", opacity: 0.8 },
      },
      { selector: 'edge[type = "membership"][?delegated_authority]', style: { width: 2.5 } },
      {
        selector: 'edge[type = "representation"]',
        style: { "line-color": "#505a5f", width: 0.8, "line-style": "dotted" },
      },
      {
        selector: 'edge[type = "relationship"]',
        style: {
          "curve-style": "straight",
          "line-color": "#d4351c",
          "line-style": "dashed",
          width: 2,
        },
      },
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
    ];
  }

  function markDrawn() {
    // Two frames: cytoscape draws on the next animation frame after a change.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        container.setAttribute("data-drawn-nodes", String(cy.nodes().length));
        container.setAttribute("data-map-ready", "true");
        mark("ready");
      });
    });
  }

  function summarise(counts) {
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
        ".",
    );
  }

  function draw(data) {
    mark("data");
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
      hideEdgesOnViewport: large,
      textureOnViewport: large,
      pixelRatio: large ? 1 : "auto",
      motionBlur: false,
    });
    mark("created");
    cy.on("tap", "node", function (event) {
      select(event.target);
      showDetails(event.target);
    });
    summarise(data.counts);
    search(false);
    markDrawn();
  }

  function redraw(data) {
    var wanted = new Set();
    data.nodes.forEach(function (n) {
      wanted.add(n.id);
    });
    data.edges.forEach(function (e) {
      wanted.add(e.id);
    });
    cy.batch(function () {
      cy.elements()
        .filter(function (element) {
          return !wanted.has(element.id());
        })
        .remove();
      cy.add(
        elements(data).filter(function (element) {
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
    cy.batch(function () {
      cy.elements().removeClass("faded match");
      if (!q) {
        return;
      }
      var found = cy.nodes().filter(function (node) {
        return node.data("name").toLocaleLowerCase("en-GB").indexOf(q) !== -1;
      });
      matches = found.sort(byName).toArray();
      if (matches.length) {
        cy.elements().addClass("faded");
        found.removeClass("faded").addClass("match");
        found.connectedEdges().removeClass("faded");
      }
    });
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
      summarise({
        organisations: cy.nodes('[type = "organisation"]').length,
        people: cy.nodes('[type = "person"]').length,
        partnerships: cy.nodes('[type = "partnership"]').length,
      });
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
        var node = cy.getElementById(id);
        return node.nonempty() ? node.data("name") : "";
      })
      .filter(Boolean);
  }

  function seat(edge) {
    var parts = [];
    var roles = edge.data("roles") || [];
    if (roles.length) {
      parts.push(" (" + roles.join(", ").toLowerCase() + ")");
    }
    if (edge.data("delegated_authority")) {
      parts.push(", with delegated authority");
    }
    var people = names(edge.data("people") || []);
    if (people.length) {
      parts.push(": " + people.join(", "));
    }
    return parts.join("");
  }

  function edgesOf(node, type) {
    return node.connectedEdges('[type = "' + type + '"]').toArray();
  }

  function other(edge, node) {
    return edge.source().same(node) ? edge.target() : edge.source();
  }

  function showDetails(node) {
    var data = node.data();
    details.replaceChildren();
    details.appendChild(el("h2", "govuk-heading-s govuk-!-margin-bottom-1", data.name));
    if (data.type === "organisation") {
      details.appendChild(el("p", "govuk-body-s", "Organisation: " + data.kind + ". " + data.sector + "."));
      details.appendChild(
        el("p", "govuk-body-s", "Works in: " + (data.localities.length ? data.localities.join(", ") : "the whole city") + "."),
      );
      details.appendChild(
        list(
          "Partnerships",
          edgesOf(node, "membership").map(function (edge) {
            var p = edge.target();
            return [link(p.data("name"), p.data("url")), seat(edge)];
          }),
          "Sits on no partnership shown.",
        ),
      );
      details.appendChild(
        list(
          "Representatives",
          edgesOf(node, "representation").map(function (edge) {
            return [edge.source().data("name") + (edge.source().data("kind") ? ", " + edge.source().data("kind") : "")];
          }),
          "None named.",
        ),
      );
      details.appendChild(
        list(
          "Joint work and introductions",
          edgesOf(node, "relationship").map(function (edge) {
            var kinds = (edge.data("kinds") || []).join(", ");
            return [
              other(edge, node).data("name") +
                (kinds ? " (" + kinds + ")" : "") +
                (edge.data("latest") ? ", latest " + edge.data("latest") : ""),
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
        var p = el("p", "govuk-body-s");
        p.appendChild(link("Open the partnership's page", data.url));
        details.appendChild(p);
      }
      details.appendChild(
        list(
          "Members",
          edgesOf(node, "membership").map(function (edge) {
            return [edge.source().data("name") + seat(edge)];
          }),
          "No member organisation shown.",
        ),
      );
    } else {
      details.appendChild(el("p", "govuk-body-s", "Person" + (data.kind ? ": " + data.kind : "") + "."));
      var represented = edgesOf(node, "representation").map(function (edge) {
        return edge.target();
      });
      details.appendChild(
        list(
          "Represents",
          represented.map(function (org) {
            return [org.data("name")];
          }),
          "No organisation shown.",
        ),
      );
      var seats = [];
      represented.forEach(function (org) {
        edgesOf(org, "membership").forEach(function (edge) {
          if ((edge.data("people") || []).indexOf(data.id) !== -1) {
            seats.push([link(edge.target().data("name"), edge.target().data("url")), " for " + org.data("name")]);
          }
        });
      });
      details.appendChild(list("Sits on", seats, "No partnership shown."));
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
