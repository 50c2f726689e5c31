// The print button on certificate pages (no inline scripts: the CSP allows only this origin).
document.addEventListener("DOMContentLoaded", () => {
  const b = document.getElementById("print-button");
  if (b) b.addEventListener("click", () => window.print());
});
