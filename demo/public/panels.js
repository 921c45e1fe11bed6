// Page chrome: the connection pill, the notice line, the event log, and element helpers.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'style') Object.assign(node.style, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

export function setConnection(state, text) {
  const pill = document.getElementById('conn');
  pill.dataset.state = state;
  pill.textContent = text;
}

export function showNotice(text) {
  const n = document.getElementById('notice');
  n.hidden = false;
  n.textContent = text;
}

const MAX_LOG = 60;

export function log(text, kind = 'info') {
  const list = document.getElementById('log');
  const time = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  list.prepend(el('li', { dataset: { kind } }, el('time', {}, time), text));
  while (list.children.length > MAX_LOG) list.lastChild.remove();
}
