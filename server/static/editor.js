// The query page works without this script (the form submits to /query). With it, Ctrl+Enter
// submits the form from the text area.
"use strict";
(function () {
  var form = document.getElementById("editor");
  if (!form) { return; }
  var area = form.querySelector("textarea");
  area.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.submit();
    }
  });
})();
