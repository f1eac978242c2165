// Staff pages: small progressive enhancements; every page works without them.
"use strict";

// "Markera alla" on the concern list: shown only when scripts run.
(function selectAll() {
  const all = document.getElementById("markera-alla");
  if (!all) return;
  const boxes = Array.from(document.querySelectorAll('input[type="checkbox"][name="ids"]'));
  all.hidden = false;
  all.addEventListener("change", () => boxes.forEach((box) => { box.checked = all.checked; }));
  boxes.forEach((box) => box.addEventListener("change", () => {
    all.checked = boxes.every((b) => b.checked);
    all.indeterminate = !all.checked && boxes.some((b) => b.checked);
  }));
})();

// Forms marked data-confirm ask before doing something that cannot be undone (publishing, deactivating).
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
