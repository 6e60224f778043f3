// Line numbers beside the XML textarea: keep the gutter as long as the text,
// scrolled with it, and mark the lines the last check found problems on.
(function () {
  "use strict";

  function setup(editor) {
    var gutter = editor.querySelector(".gutter");
    var area = editor.querySelector("textarea");
    if (!gutter || !area) return;

    function errorLines() {
      var marked = {};
      document.querySelectorAll("#problems .problem[data-line]").forEach(function (item) {
        marked[item.getAttribute("data-line")] = true;
      });
      return marked;
    }

    function render() {
      var count = area.value.split("\n").length;
      var marked = errorLines();
      var items = gutter.children;
      while (items.length < count) {
        var li = document.createElement("li");
        li.id = "L" + (items.length + 1);
        li.textContent = String(items.length + 1);
        gutter.appendChild(li);
      }
      while (items.length > count) gutter.removeChild(gutter.lastChild);
      for (var i = 0; i < items.length; i++) {
        items[i].classList.toggle("error-line", !!marked[String(i + 1)]);
      }
    }

    area.addEventListener("input", render);
    area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
    document.body.addEventListener("htmx:afterSwap", render);
    // Clicking "Line N" in the problem list puts the caret on that line.
    document.addEventListener("click", function (event) {
      var link = event.target.closest("#problems a[href^='#L']");
      if (!link) return;
      event.preventDefault();
      var line = parseInt(link.getAttribute("href").slice(2), 10);
      var lines = area.value.split("\n");
      var offset = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
      area.focus();
      area.setSelectionRange(offset, offset + (lines[line - 1] || "").length);
      var lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
      area.scrollTop = Math.max(0, (line - 5) * lineHeight);
    });
    render();
  }

  document.querySelectorAll(".code-editor").forEach(setup);
})();
