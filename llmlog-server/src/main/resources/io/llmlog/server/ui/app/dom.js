// Building the page from log data. Every value that came from a log is untrusted: it only ever
// becomes a text node (or an attribute value we do not interpret). Nothing here parses HTML, and
// no module of the dashboard uses innerHTML, insertAdjacentHTML or document.write.

/**
 * Creates an element. props: class, text, dataset, on (event handlers), and plain attributes;
 * children: nodes, strings (as text), arrays, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    else if (key === 'href') el.setAttribute('href', safeHref(value));
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces an element's children. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Links point into the dashboard itself; anything else is dropped rather than followed. */
function safeHref(href) {
  const text = String(href);
  return text.startsWith('#') ? text : '#';
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the HTML entities of the engine's highlight encoder back into the text they stand for. */
export function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6});/g, (whole, name) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A highlight fragment from the search API: HTML-encoded text in which only <mark> and </mark>
 * are markup. It is split on those two tags and every piece becomes text; whatever else looks
 * like a tag is shown as the characters it is.
 */
export function highlighted(fragment) {
  const out = document.createDocumentFragment();
  let inMark = false;
  for (const part of String(fragment).split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') { inMark = true; continue; }
    if (part === '</mark>') { inMark = false; continue; }
    if (!part) continue;
    const text = decodeEntities(part);
    out.append(inMark ? h('mark', { text }) : document.createTextNode(text));
  }
  return out;
}

// [EMAIL], [CN_ID], [EMAIL:3f2a9c1d0b7e] (hash mode), and partial masks such as 138****5678,
// a***@example.com or 6222 **** **** 1234 (mask mode).
const REDACTION = /\[[A-Z][A-Z0-9_]{1,30}(?::[0-9a-f]{12})?\]|(?:[\w.+@-]+ ?)?\*{3,}(?: \*{3,})*(?: ?[\w.+@-]*\w)?/g;

/**
 * Text with the pipeline's redaction marks highlighted. Masks are only looked for when the call
 * says something was redacted, so that a prompt's own asterisks are left alone.
 */
export function redactionMarked(text, redacted) {
  const out = document.createDocumentFragment();
  const source = String(text);
  const pattern = redacted && redacted.length ? REDACTION : /\[(?:SECRET|CN_ID|BANK_CARD|PHONE|EMAIL|IP)(?::[0-9a-f]{12})?\]/g;
  let at = 0;
  for (const match of source.matchAll(pattern)) {
    if (match.index > at) out.append(document.createTextNode(source.slice(at, match.index)));
    out.append(h('mark', { class: 'redaction', title: 'replaced by the redaction filter', text: match[0] }));
    at = match.index + match[0].length;
  }
  if (at < source.length) out.append(document.createTextNode(source.slice(at)));
  return out;
}

/** A button that copies text, saying so for a moment. */
export function copyButton(label, textOf) {
  const button = h('button', { type: 'button', class: 'small', text: label });
  button.addEventListener('click', async () => {
    const ok = await copyText(textOf());
    button.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { button.textContent = label; }, 1500);
  });
  return button;
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (or not a secure context): the old way, through a hidden textarea.
    const area = h('textarea', { class: 'offscreen', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
