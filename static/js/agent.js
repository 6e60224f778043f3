// The agent page's live stream: popups arrive as server-sent events.
// EventSource reconnects by itself and sends the last id it saw, so the server sends
// only what was missed; ids already handled are remembered for the tab's life, so a
// popup never opens twice.
(function () {
  "use strict";
  const list = document.querySelector("[data-popups]");
  if (!list) return;
  const state = document.querySelector("[data-live-state]");
  const blocked = document.querySelector("[data-popup-blocked]");
  const seen = new Set(JSON.parse(sessionStorage.getItem("pbxcrm-popups") || "[]"));
  list.querySelectorAll("[data-popup-id]").forEach((li) => seen.add(Number(li.dataset.popupId)));

  function remember(id) {
    seen.add(id);
    sessionStorage.setItem("pbxcrm-popups", JSON.stringify(Array.from(seen).slice(-200)));
  }

  function card(popup) {
    const li = document.createElement("li");
    li.className = "popup-card popup-" + popup.kind;
    li.dataset.popupId = popup.id;
    const who = document.createElement("span");
    who.className = "popup-who";
    who.textContent = popup.name || popup.number;
    const number = document.createElement("span");
    number.className = "popup-number";
    number.textContent = popup.number;
    const when = document.createElement("time");
    when.dateTime = popup.at;
    when.textContent = new Date(popup.at).toLocaleTimeString();
    li.append(who, number, when);
    if (popup.url) {
      const open = document.createElement("a");
      open.className = "btn";
      open.href = popup.url;
      open.target = "_blank";
      open.rel = "noopener";
      open.textContent = "Open in CRM";
      li.append(open);
    }
    if (popup.kind === "create") {
      const form = document.createElement("button");
      form.type = "button";
      form.className = "btn btn-primary";
      form.textContent = "Create contact";
      form.setAttribute("hx-post", list.dataset.create.replace("/0/", "/" + popup.call_pk + "/"));
      form.setAttribute("hx-swap", "outerHTML");
      li.append(form);
    }
    list.querySelector("[data-empty]")?.remove();
    list.prepend(li);
    if (window.htmx) window.htmx.process(li);
  }

  function show(popup) {
    if (seen.has(popup.id)) return;
    remember(popup.id);
    card(popup);
    if (popup.kind === "open" && popup.url) {
      const tab = window.open(popup.url, "_blank");
      if (tab) {
        tab.opener = null;
      } else if (blocked) {
        blocked.hidden = false;
      }
    }
  }

  const source = new EventSource(list.dataset.stream);
  source.addEventListener("open", () => { state.textContent = "Live: popups appear here as calls come in."; state.dataset.state = "live"; });
  source.addEventListener("error", () => { state.textContent = "Reconnecting…"; state.dataset.state = "reconnecting"; });
  source.addEventListener("popup", (event) => show(JSON.parse(event.data)));
})();
