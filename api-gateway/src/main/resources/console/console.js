// The node console: polls the node's JSON routes and redraws in place, so what it shows follows the node without
// reloads. Tokens are kept in sessionStorage only (this tab), never in the URL.
(function () {
  "use strict";

  var POLL_MS = 2000;
  var state = { admin: sessionStorage.getItem("loom.admin") || "", bearer: sessionStorage.getItem("loom.bearer") || "",
    selectedThread: null, timer: null };

  function $(id) { return document.getElementById(id); }

  function text(element, value) { element.textContent = value === undefined || value === null ? "–" : String(value); }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function getJson(path, headers) {
    return fetch(path, { headers: headers || {}, cache: "no-store" }).then(function (response) {
      return response.text().then(function (body) {
        var json = null;
        try { json = body ? JSON.parse(body) : null; } catch (e) { json = null; }
        return { status: response.status, json: json };
      });
    });
  }

  function adminHeaders() { return { "x-loom-admin-token": state.admin }; }
  function bearerHeaders() { return { "Authorization": "Bearer " + state.bearer }; }

  function problem(message) {
    var box = $("problem");
    box.hidden = !message;
    text(box, message || "");
  }

  function refreshReadiness() {
    return getJson("/ready").then(function (result) {
      var ready = result.json && result.json.ready === true;
      var badge = $("node-state");
      badge.setAttribute("data-state", ready ? "ready" : "not-ready");
      text(badge, ready ? "ready" : "not ready");
      var list = $("checks");
      list.replaceChildren();
      var checks = (result.json && result.json.checks) || {};
      Object.keys(checks).forEach(function (name) {
        list.appendChild(el("li", { "data-ok": String(checks[name] === "ok"), "data-check": name },
          [name.replace(/_/g, " ") + ": " + checks[name]]));
      });
    }).catch(function () {
      var badge = $("node-state");
      badge.setAttribute("data-state", "down");
      text(badge, "unreachable");
    });
  }

  function sum(values) { return values.reduce(function (a, b) { return a + b; }, 0); }

  function refreshOperator() {
    $("operator").hidden = !state.admin;
    if (!state.admin) { return Promise.resolve(); }
    var status = getJson("/v1/admin/status", adminHeaders()).then(function (result) {
      if (result.status !== 200 || !result.json) {
        problem(result.status === 403 ? "The admin token was refused." :
          result.status === 404 ? "This node has no admin token configured." : "Admin status unavailable.");
        return;
      }
      problem("");
      var status = result.json;
      var metrics = status.metrics || {};
      text($("requests-total"), metrics.requests_total);
      text($("requests-in-flight"), metrics.requests_in_flight);
      text($("errors-total"), sum(Object.values(metrics.error_counts || {})));
      text($("uptime"), formatDuration(metrics.uptime_s));
      var services = status.services || {};
      var pending = Object.keys(services).map(function (name) {
        var outbox = services[name].event_outbox;
        return outbox && typeof outbox.pending === "number" ? outbox.pending : 0;
      });
      text($("event-outbox"), sum(pending));
      var rows = $("outboxes").tBodies[0];
      rows.replaceChildren();
      Object.keys(status.outbox || {}).forEach(function (kind) {
        var o = status.outbox[kind] || {};
        rows.appendChild(el("tr", { "data-kind": kind }, [el("td", {}, [kind]), el("td", {}, [String(o.queued || 0)]),
          el("td", {}, [String(o.retry_scheduled || 0)]), el("td", {}, [String(o.delivered || 0)]),
          el("td", {}, [String(o.failed || 0)]), el("td", {}, [String(o.total || 0)])]));
      });
      if (!rows.children.length) {
        rows.appendChild(el("tr", {}, [el("td", { colspan: "6", "class": "muted" }, ["No delivery outboxes reported."])]));
      }
      var table = $("services").tBodies[0];
      table.replaceChildren();
      Object.keys(services).forEach(function (name) {
        var service = services[name];
        var details = Object.keys(service).filter(function (key) {
          return ["service", "timestamp", "reachable"].indexOf(key) < 0;
        }).map(function (key) { return key + " " + JSON.stringify(service[key]); }).join("  ");
        table.appendChild(el("tr", { "data-service": name }, [el("td", {}, [name]),
          el("td", {}, [service.reachable ? "yes" : "no"]), el("td", {}, [el("code", {}, [details])])]));
      });
    });
    var deadLetters = getJson("/v1/outbox/dlq?kind=all&limit=1000", adminHeaders()).then(function (result) {
      var byKind = $("dlq-by-kind");
      byKind.replaceChildren();
      if (result.status === 200 && result.json && Array.isArray(result.json.entries)) {
        text($("dlq-count"), result.json.entries.length);
        // Every kind is listed, zero included, so a count that rises is seen next to the ones that did not.
        var counts = { email: 0, federation: 0, webhook: 0 };
        result.json.entries.forEach(function (entry) { counts[entry.kind] = (counts[entry.kind] || 0) + 1; });
        Object.keys(counts).sort().forEach(function (kind) {
          byKind.appendChild(el("span", { "data-kind": kind, "data-count": String(counts[kind]) },
            [kind + " " + counts[kind]]));
        });
      } else {
        text($("dlq-count"), "n/a");
      }
    });
    return Promise.all([status, deadLetters]);
  }

  function refreshThreads() {
    $("identity").hidden = !state.bearer;
    if (!state.bearer) { return Promise.resolve(); }
    return getJson("/v1/threads?limit=100", bearerHeaders()).then(function (result) {
      if (result.status !== 200 || !result.json) {
        problem(result.status === 401 ? "The bearer token was refused or has expired." : "Threads unavailable.");
        return;
      }
      var list = $("threads");
      list.replaceChildren();
      result.json.threads.forEach(function (thread) {
        var item = el("li", { "data-thread-id": thread.id, "aria-selected": String(thread.id === state.selectedThread) },
          [thread.subject || thread.id, el("span", { "class": "meta" }, [thread.state + " · " + thread.updated_at])]);
        item.addEventListener("click", function () { state.selectedThread = thread.id; refreshAll(); });
        list.appendChild(item);
      });
      if (!result.json.threads.length) {
        list.appendChild(el("li", { "class": "muted" }, ["No threads yet."]));
      }
      return refreshThread();
    });
  }

  function refreshThread() {
    var id = state.selectedThread;
    $("thread-detail").hidden = !id;
    $("thread-placeholder").hidden = !!id;
    if (!id) { return Promise.resolve(); }
    var path = "/v1/threads/" + encodeURIComponent(id);
    return Promise.all([getJson(path, bearerHeaders()), getJson(path + "/envelopes", bearerHeaders())])
      .then(function (results) {
        var thread = results[0].json, envelopes = results[1].json;
        if (results[0].status !== 200 || !thread || !envelopes) { return; }
        text($("thread-subject"), thread.subject || thread.id);
        var badge = $("thread-state");
        badge.setAttribute("data-state", thread.state);
        text(badge, thread.state);
        text($("thread-participants"), (thread.participants || []).filter(function (p) { return !p.left_at; })
          .map(function (p) { return p.identity + " (" + p.role + ")"; }).join(", "));
        var list = $("envelopes");
        list.replaceChildren();
        envelopes.envelopes.forEach(function (envelope) {
          var content = envelope.content || {};
          var body = content.human ? content.human.text : (content.encrypted ? "(encrypted)" : "");
          var intent = content.structured && content.structured.intent;
          var children = [el("span", { "class": "from" }, [envelope.from.identity]),
            el("span", { "class": "time" }, [envelope.created_at + " · #" + ((envelope.meta || {}).event_seq || "?")]),
            el("div", {}, [body || ""])];
          if (envelope.type === "thread_op" || intent) {
            children.splice(2, 0, el("div", { "class": "op" }, [envelope.type + (intent ? " " + intent : "")]));
          }
          list.appendChild(el("li", { "data-envelope-id": envelope.id, "data-type": envelope.type }, children));
        });
      });
  }

  function formatDuration(seconds) {
    if (typeof seconds !== "number") { return "–"; }
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
  }

  function refreshAll() {
    return Promise.all([refreshReadiness(), refreshOperator(), refreshThreads()]).then(function () {
      text($("updated"), "updated " + new Date().toLocaleTimeString());
      document.body.setAttribute("data-refreshed", String(Date.now()));
    }).catch(function (error) { problem(String(error)); });
  }

  $("admin-token").value = state.admin;
  $("bearer-token").value = state.bearer;
  $("credentials-form").addEventListener("submit", function (event) {
    event.preventDefault();
    state.admin = $("admin-token").value.trim();
    state.bearer = $("bearer-token").value.trim();
    sessionStorage.setItem("loom.admin", state.admin);
    sessionStorage.setItem("loom.bearer", state.bearer);
    refreshAll();
  });
  $("forget").addEventListener("click", function () {
    state.admin = state.bearer = "";
    state.selectedThread = null;
    sessionStorage.clear();
    $("admin-token").value = $("bearer-token").value = "";
    problem("");
    refreshAll();
  });

  refreshAll();
  state.timer = setInterval(refreshAll, POLL_MS);
})();
