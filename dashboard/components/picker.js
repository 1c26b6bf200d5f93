// The map's indicator picker: a native <select> (keyboard and screen readers work as
// everywhere), grouped by theme. A pick is announced to the map at once (it recolours in the
// browser) and sent to the server, whose rerun brings the title, legend, hover texts and tables.
export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const select = parentElement.querySelector("select");
  const label = parentElement.querySelector("label");
  label.textContent = data.label;
  if (select.dataset.options !== data.signature) {
    select.replaceChildren();
    for (const group of data.groups) {
      const optgroup = document.createElement("optgroup");
      optgroup.label = group.label;
      for (const [value, text] of group.options) {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = text;
        optgroup.appendChild(option);
      }
      select.appendChild(optgroup);
    }
    select.dataset.options = data.signature;
  }
  if (select.value !== data.value) select.value = data.value;
  select.onchange = () => {
    window.dispatchEvent(new CustomEvent("rc-indicator", { detail: select.value }));
    setStateValue("indicator", select.value);
  };
}
