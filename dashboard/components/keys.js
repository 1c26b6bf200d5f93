// Arrow keys step through the slides by clicking the page's own previous/next buttons,
// so keyboard and mouse go through exactly the same code path.
export default function (component) {
  const { data } = component;
  window.__rcSlideLabels = data;
  if (window.__rcKeysBound) return;
  window.__rcKeysBound = true;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
    const labels = window.__rcSlideLabels || {};
    const wanted = event.key === "ArrowRight" ? labels.next : event.key === "ArrowLeft" ? labels.previous : null;
    if (!wanted) return;
    const button = Array.from(document.querySelectorAll("button")).find((b) => b.innerText.trim() === wanted);
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
}
