// The presenter's clock: the time of day and the minutes since the presentation started
// (kept per sync code in sessionStorage, so a reload does not reset it). No network.
export default function (component) {
  const { data, parentElement } = component;
  const node = parentElement.querySelector(".rc-clock");
  if (!node) return;
  const key = "rc-clock-start-" + (data.code || "");
  let start = Number(sessionStorage.getItem(key));
  if (!start) {
    start = Date.now();
    sessionStorage.setItem(key, String(start));
  }
  const pad = (n) => String(n).padStart(2, "0");
  const draw = () => {
    const now = new Date();
    const minutes = Math.floor((Date.now() - start) / 60000);
    node.textContent = `${pad(now.getHours())}:${pad(now.getMinutes())} · ${minutes} ${data.minutes}`;
  };
  draw();
  if (window.__rcClockTimer) clearInterval(window.__rcClockTimer);
  window.__rcClockTimer = setInterval(draw, 1000);
}
