// Template editor: show only the settings that apply, add/remove formset rows.
// Loaded from /static/ because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  const form = document.getElementById("template-editor");
  if (!form) return;

  // The control a data-show-if names: a field of the same formset row first
  // ("editor" → "fields-0-editor"), else a field of the main form.
  function controlFor(el, name) {
    const row = el.closest("[data-row]");
    if (row) {
      const inRow = row.querySelector('[name$="-' + name + '"]');
      if (inRow) return inRow;
    }
    return form.elements.namedItem(name);
  }

  function controlValue(control) {
    if (!control) return "";
    if (control instanceof RadioNodeList) return control.value;
    if (control.type === "checkbox") return control.checked ? "on" : "";
    return control.value;
  }

  // A rule: "auth_method=oauth2 bearertoken" (a choice) or "call_journal" (a switch).
  function holds(el, rule) {
    if (rule === "always") return true;
    const eq = rule.indexOf("=");
    const name = eq < 0 ? rule : rule.slice(0, eq);
    const value = controlValue(controlFor(el, name));
    return eq < 0 ? value !== "" : rule.slice(eq + 1).split(" ").indexOf(value) >= 0;
  }

  function refresh() {
    form.querySelectorAll("[data-show-if]").forEach(function (el) {
      el.hidden = !holds(el, el.dataset.showIf);
    });
    form.querySelectorAll("[data-formset]").forEach(updateAddButton);
    form.querySelectorAll("[data-required-if]").forEach(function (input) {
      input.setAttribute("aria-required", String(holds(input, input.dataset.requiredIf)));
      if (input.hasAttribute("data-left")) checkRequired(input);
    });
  }

  // Fields required only for some choices (forms.REQUIRED_WHEN): said as the admin
  // leaves one empty, in the words a refused save would use.
  function checkRequired(input) {
    const note = input.closest(".ed-field, td").querySelector("[data-required-note]");
    if (!note) return;
    const check = input.closest(".ed-field, td").querySelector(".field-check");
    const said = check && check.textContent.indexOf("Required") >= 0; // a refused save said it already
    const missing = holds(input, input.dataset.requiredIf) && !input.value.trim() && !said;
    const method = form.elements.namedItem("auth_method");
    const choice = method && method.selectedIndex >= 0 ? method.options[method.selectedIndex].text : "";
    note.textContent = missing ? input.dataset.requiredMessage.replace("{choice}", choice) : "";
    note.hidden = !missing;
    if (missing) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  form.addEventListener("focusout", function (event) {
    const input = event.target;
    if (input.dataset && input.dataset.requiredIf) {
      input.setAttribute("data-left", "");
      checkRequired(input);
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-left")) checkRequired(event.target);
  });

  function liveRows(formset) {
    return Array.from(formset.querySelectorAll("[data-rows] > [data-row]")).filter(function (row) {
      return !row.hidden;
    });
  }

  function limitOf(formset) {
    if (formset.dataset.formset === "fields") {
      const limits = JSON.parse(document.getElementById("custom-field-limits").textContent);
      return limits[controlValue(form.elements.namedItem("auth_method"))] || 5;
    }
    return formset.dataset.limit ? parseInt(formset.dataset.limit, 10) : 0;
  }

  function updateAddButton(formset) {
    const limit = limitOf(formset);
    const button = formset.querySelector("[data-add-row]");
    button.disabled = limit > 0 && liveRows(formset).length >= limit;
    button.title = button.disabled ? "Limit reached (" + limit + ")" : "";
  }

  function addRow(formset) {
    const prefix = formset.dataset.formset;
    const total = form.elements.namedItem(prefix + "-TOTAL_FORMS");
    const index = parseInt(total.value, 10);
    const html = formset.querySelector("template[data-empty-row]").innerHTML.replace(/__prefix__/g, String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const row = holder.firstElementChild;
    formset.querySelector("[data-rows]").appendChild(row);
    total.value = String(index + 1);
    if (window.htmx) window.htmx.process(row); // live checks on the new row's fields
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    refresh();
    return row;
  }

  function removeRow(row) {
    // Rows are marked deleted, not taken out: the formset's indexes must stay contiguous.
    const del = row.querySelector('input[name$="-DELETE"]');
    if (del) del.checked = true;
    row.hidden = true;
    refresh();
  }

  // Basic authentication: the guide's "Configure the required fields for users to enter
  // credentials" — suggest them (and the Base64 format) for the chosen credential type,
  // as long as the admin has not written fields of their own.
  const CREDENTIALS = {
    username_password: { format: "{{.username}}:{{.password}}",
      fields: [["string", "username", "Username"], ["password", "password", "Password"]] },
    api_key: { format: "{{.api_key}}", fields: [["password", "api_key", "API Key"]] },
  };

  function suggestCredentials() {
    if (controlValue(form.elements.namedItem("auth_method")) !== "basic") return;
    const suggestion = CREDENTIALS[controlValue(form.elements.namedItem("credential_type"))];
    if (!suggestion) return;
    const formset = form.querySelector('[data-formset="fields"]');
    const rows = liveRows(formset);
    if (!rows.every(function (row) { return row.hasAttribute("data-suggested"); })) return;
    rows.forEach(removeRow);
    suggestion.fields.forEach(function (field) {
      const row = addRow(formset);
      markSuggested(row, "Basic");
      row.querySelector('[name$="-editor"]').value = field[0];
      row.querySelector('[name$="-name"]').value = field[1];
      row.querySelector('[name$="-title"]').value = field[2];
    });
    const credential = form.elements.namedItem("base64_credential");
    const known = Object.values(CREDENTIALS).map(function (c) { return c.format; });
    if (!credential.value || known.indexOf(credential.value) >= 0) credential.value = suggestion.format;
    refresh();
  }

  // A row the page added, not the admin: shown as new until the admin edits or removes it.
  function markSuggested(row, methodLabel) {
    row.setAttribute("data-suggested", methodLabel);
    const tag = document.createElement("span");
    tag.className = "tag tag-new";
    tag.setAttribute("data-suggested-tag", "");
    tag.textContent = "New · suggested for " + methodLabel;
    row.insertBefore(tag, row.firstChild);
  }

  function unmarkSuggested(row) {
    row.removeAttribute("data-suggested");
    const tag = row.querySelector("[data-suggested-tag]");
    if (tag) tag.remove();
  }

  // Switching method: the custom fields that were there for the old method (suggested
  // for it, or used by its settings and not by the new one's) are the admin's to keep
  // or remove; nothing is dropped, or kept, without asking.
  const METHOD_SETTINGS = {
    none: [], basic: ["base64_credential"], bearertoken: ["token_endpoint"],
    oauth2: ["auth_endpoint", "token_endpoint", "scope", "additional_query_string"],
  };
  const methodSelect = form.elements.namedItem("auth_method");
  let currentMethod = controlValue(methodSelect);

  function methodLabel(value) {
    const option = Array.from(methodSelect.options).find(function (o) { return o.value === value; });
    return option ? option.text : value;
  }

  function variable(name) {
    return new RegExp("\\{\\{[^}]*\\." + name.replace(/[^\w]/g, "") + "\\b");
  }

  function usedBy(method, name) {
    const pattern = variable(name);
    return (METHOD_SETTINGS[method] || []).some(function (field) {
      const input = form.elements.namedItem(field);
      return input && pattern.test(input.value);
    });
  }

  // Used by any other setting of the form (a header, a request URL or body…).
  function usedElsewhere(method, name) {
    const pattern = variable(name);
    const own = METHOD_SETTINGS[method] || [];
    return Array.from(form.querySelectorAll("input[type=text], textarea")).some(function (input) {
      return own.indexOf(input.name) < 0 && !input.closest('[data-formset="fields"]') && pattern.test(input.value);
    });
  }

  function rowsOf(method, next) {
    const formset = form.querySelector('[data-formset="fields"]');
    return liveRows(formset).filter(function (row) {
      const name = row.querySelector('[name$="-name"]').value.trim();
      if (row.hasAttribute("data-suggested")) return row.getAttribute("data-suggested") !== methodLabel(next);
      return name && usedBy(method, name) && !usedBy(next, name) && !usedElsewhere(method, name);
    });
  }

  function offerOldFields(old, next) {
    const existing = document.getElementById("method-fields-offer");
    if (existing) existing.remove();
    const rows = rowsOf(old, next);
    if (!rows.length || old === next) return;
    const names = rows.map(function (row) { return row.querySelector('[name$="-name"]').value.trim() || "(unnamed)"; });
    const panel = document.createElement("div");
    panel.className = "ed-panel ed-offer";
    panel.id = "method-fields-offer";
    panel.setAttribute("role", "status");
    const text = document.createElement("p");
    const forMethod = rows[0].getAttribute("data-suggested") || methodLabel(old);
    text.append("These custom fields were for " + forMethod + ": ");
    const list = document.createElement("strong");
    list.textContent = names.join(", ");
    text.append(list, ". Keep them for " + methodLabel(next) + "?");
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-secondary";
    keep.textContent = "Keep them";
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-secondary";
    drop.textContent = "Remove them";
    keep.addEventListener("click", function () {
      rows.forEach(unmarkSuggested);
      panel.remove();
    });
    drop.addEventListener("click", function () {
      rows.forEach(removeRow);
      panel.remove();
      suggestCredentials();
    });
    panel.append(text, keep, " ", drop);
    const formset = form.querySelector('[data-formset="fields"]');
    formset.parentNode.insertBefore(panel, formset);
  }

  form.addEventListener("input", function (event) {
    // A suggested row the admin edits is theirs from then on.
    const row = event.target.closest("[data-suggested]");
    if (row) unmarkSuggested(row);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "auth_method") {
      const old = currentMethod;
      currentMethod = controlValue(methodSelect);
      offerOldFields(old, currentMethod);
      if (!document.getElementById("method-fields-offer")) suggestCredentials();
    } else if (event.target.name === "credential_type") {
      suggestCredentials();
    }
  });

  form.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-row]");
    if (add) {
      event.preventDefault();
      addRow(add.closest("[data-formset]"));
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      event.preventDefault();
      removeRow(remove.closest("[data-row]"));
    }
  });
  form.addEventListener("change", refresh);

  // Rows deleted before a failed save come back marked; keep them hidden.
  form.querySelectorAll('[data-row] input[name$="-DELETE"]:checked').forEach(function (del) {
    del.closest("[data-row]").hidden = true;
  });
  refresh();

  // The error banner's links: open the field's section, bring the field into view, focus it.
  form.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-go-to-field]");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    for (let d = target.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
    target.scrollIntoView({ block: "center" });
    const control = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    if (control) control.focus({ preventScroll: true });
  });

  // Unsaved changes: Cancel asks before leaving, and so does closing or leaving the tab.
  // A page drawn again after a refused save holds changes that are not saved either.
  function snapshot() {
    return Array.from(new FormData(form).entries()).map(function (entry) {
      return entry[0] + "=" + (typeof entry[1] === "string" ? entry[1] : entry[1].name);
    }).join("&");
  }
  const drawn = snapshot();
  let leaving = false;
  function unsaved() {
    return !leaving && (form.hasAttribute("data-unsaved") || snapshot() !== drawn);
  }
  form.addEventListener("submit", function () { leaving = true; });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  const cancel = form.querySelector("[data-cancel]");
  if (cancel) {
    cancel.addEventListener("click", function (event) {
      if (!unsaved()) return;
      if (window.confirm("Leave without saving? Your changes to this template will be lost.")) {
        leaving = true; // asked once is enough: no second prompt from beforeunload
      } else {
        event.preventDefault();
      }
    });
  }

  // The sticky Save/Cancel bar must not cover the field being edited.
  const bar = form.querySelector(".ed-actions");
  form.addEventListener("focusin", function (event) {
    if (!bar || bar.contains(event.target)) return;
    let field = event.target; // a switch's input is a 1 px square: its label is what shows
    if (field.offsetHeight < 4) field = field.closest("label, .ed-field") || field;
    const below = field.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
    if (below > 0) window.scrollBy(0, below + 12);
  });
})();
