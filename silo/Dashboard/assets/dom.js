// Building the page from data without innerHTML: every string the grid returns (contributions, answers, ids) lands
// in the page as text, never as markup.

const svgNs = 'http://www.w3.org/2000/svg';

/** An HTML element: h('td', {class: 'num', text: '3'}, child, ...). */
export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

/** An SVG element, with attributes set as given. */
export function s(tag, props = {}, ...children) {
  return build(document.createElementNS(svgNs, tag), props, children);
}

function build(element, props, children) {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'text') {
      element.textContent = String(value);
    } else if (name === 'class') {
      element.setAttribute('class', value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

/** Replaces the children of element. */
export function fill(element, ...children) {
  element.replaceChildren();
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

/** The element with this id. */
export function byId(id) {
  return document.getElementById(id);
}

/**
 * Marks a panel's state for the eye and for tests: loading, ready, empty or error, with a message for the last two.
 * The message goes in the panel's .state-message element.
 */
export function panelState(panel, state, message = '') {
  panel.dataset.state = state;
  const note = panel.querySelector('.state-message');
  if (note) {
    note.textContent = message;
  }
}
