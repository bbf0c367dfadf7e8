// On a phone the data tables (admin, cluster) stack: each row becomes a card and each cell says
// which column it is (css/a11y.css shows data-label before it). The labels come from the table's
// own header, for every table the views draw now or later, and for rows they redraw.
function label(table) {
  const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.cells].forEach((cell, i) => {
      if (names[i] && cell.dataset.label !== names[i]) cell.dataset.label = names[i];
    });
  }
}

new MutationObserver((changes) => {
  const tables = new Set();
  for (const c of changes) {
    const el = c.target.nodeType === 1 ? c.target : c.target.parentElement;
    const table = el && el.closest('table.table');
    if (table) tables.add(table);
    for (const n of c.addedNodes) {
      if (n.nodeType !== 1) continue;
      if (n.matches('table.table')) tables.add(n);
      n.querySelectorAll('table.table').forEach((t) => tables.add(t));
    }
  }
  tables.forEach(label);
}).observe(document.body, { childList: true, subtree: true });
