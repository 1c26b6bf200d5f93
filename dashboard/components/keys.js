// Presentation mode in the browser:
// - arrow keys step through the slides by clicking the page's own previous/next buttons, so
//   keyboard and mouse go through exactly the same code path;
// - the window's height is reported (on first sight and after a resize), so that a slide's
//   chart can be drawn at the height the projector offers.
export default function (component) {
  const { data, setStateValue } = component;
  window.__rcSlideLabels = data;
  window.__rcReportHeight = () => {
    const height = window.innerHeight;
    if (height && height !== data.height) setStateValue("height", height);
  };
  window.__rcReportHeight();
  if (window.__rcKeysBound) return;
  window.__rcKeysBound = true;
  let timer = null;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(() => window.__rcReportHeight && window.__rcReportHeight(), 300);
  });
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
