// Charts as inline SVG, drawn from the table API's figures. Every bar carries its category,
// series and exact value (`data-kod`, `data-serie`, `data-varde`) and a visible value label;
// the SVG has a title and a description listing every value, and the table beside each chart
// holds the same figures.

const NS = 'http://www.w3.org/2000/svg';
let nasta = 0;

function s(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function forklaring(serier) {
  const ul = document.createElement('ul');
  ul.className = 'forklaring';
  serier.forEach((serie, j) => {
    const li = document.createElement('li');
    const ruta = s('svg', { viewBox: '0 0 14 14', 'aria-hidden': 'true', focusable: 'false' });
    ruta.append(s('rect', { width: 14, height: 14, class: `serie-${j}` }));
    li.append(ruta, document.createTextNode(serie.namn));
    ul.append(li);
  });
  return ul;
}

/// Words on lines of at most `bredd` characters (a longer word gets a line of its own).
function radbryt(text, bredd) {
  const rader = [];
  for (const ord of String(text).split(/\s+/)) {
    const sista = rader[rader.length - 1];
    if (sista !== undefined && `${sista} ${ord}`.length <= bredd) rader[rader.length - 1] = `${sista} ${ord}`;
    else rader.push(ord);
  }
  return rader.length ? rader : [''];
}

/// Horizontal bars: a group per category, a bar per series. `spec`: {titel, serier: [{kod,
/// namn}], kategorier: [{kod, namn, varden: [one per series]}], format: value → text}.
/// Negative values extend left of the zero line. A value of null has no bar; with `spec.tom`
/// ((kategori index, serie index) → {tecken, text}) it gets its mark at the zero line instead
/// (`.` for a suppressed value, say) and its text in the description.
export function staplar(behallare, spec) {
  behallare.spec = spec;
  const bredd = Math.max(300, Math.min(900, behallare.clientWidth || 760));
  const etikett = Math.round(Math.min(240, bredd * 0.36));
  const marginal = 96;
  const plot = bredd - etikett - marginal - 8;
  const radhojd = 22;
  // Category names wrap onto lines that fit their column (about 7 px a character at 13 px).
  const tecken = Math.max(8, Math.floor(etikett / 7.2));
  const rader = spec.kategorier.map((k) => radbryt(k.namn, tecken));
  const grupper = rader.map((r) => Math.max(spec.serier.length * radhojd, r.length * 16) + 12);
  const alla = spec.kategorier.flatMap((k) => k.varden).filter((v) => v !== null && !Number.isNaN(v));
  const max = Math.max(0, ...alla);
  const min = Math.min(0, ...alla);
  const spann = max - min || 1;
  // Room left of the bars for the labels of negative values, clear of the category names.
  const vanster = min < 0 ? 84 : 0;
  const x = (v) => etikett + 8 + vanster + ((v - min) / spann) * (plot - vanster);
  const hojd = grupper.reduce((a, b) => a + b, 0) + 8;
  nasta += 1;
  const tid = `diagram-${nasta}-titel`;
  const did = `diagram-${nasta}-beskrivning`;
  const svg = s('svg', {
    viewBox: `0 0 ${bredd} ${hojd}`, width: bredd, height: hojd, role: 'img', 'aria-labelledby': `${tid} ${did}`,
    'data-diagram': spec.id || null,
  });
  const tom = (i, j) => (spec.tom ? spec.tom(i, j) : null) || { tecken: null, text: 'uppgift saknas' };
  const beskrivning = spec.kategorier.map((k, i) => `${k.namn}: ${k.varden.map((v, j) => `${spec.serier.length > 1 ? `${spec.serier[j].namn} ` : ''}${v === null ? tom(i, j).text : spec.format(v)}`).join(', ')}`).join('; ');
  svg.append(s('title', { id: tid }, spec.titel), s('desc', { id: did }, beskrivning));
  let y0 = 6;
  spec.kategorier.forEach((k, i) => {
    const grupp = grupper[i];
    if (i > 0) svg.append(s('line', { x1: 0, x2: bredd, y1: y0 - 6, y2: y0 - 6, class: 'stodlinje' }));
    const namn = s('text', { x: etikett, y: y0 + (grupp - 12) / 2 - ((rader[i].length - 1) * 16) / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' });
    rader[i].forEach((rad, n) => namn.append(s('tspan', { x: etikett, dy: n === 0 ? 0 : 16 }, rad)));
    svg.append(namn);
    const staplarnasTopp = y0 + (grupp - 12 - spec.serier.length * radhojd) / 2;
    k.varden.forEach((v, j) => {
      const y = staplarnasTopp + j * radhojd;
      if (v === null && spec.tom) {
        const { tecken } = tom(i, j);
        if (tecken) {
          svg.append(s('text', {
            x: x(0) + 4, y: y + (radhojd - 4) / 2, 'dominant-baseline': 'middle', 'text-anchor': 'start',
            class: 'stapel-varde', 'data-kod': k.kod, 'data-serie': spec.serier[j].kod, 'data-status': tecken,
          }, tecken));
        }
        return;
      }
      if (v === null || Number.isNaN(v)) return;
      const a = x(Math.min(0, v));
      const b = x(Math.max(0, v));
      svg.append(s('rect', {
        x: a, y, width: Math.max(b - a, v === 0 ? 0 : 1), height: radhojd - 4, class: `stapel serie-${j}`,
        'data-kod': k.kod, 'data-serie': spec.serier[j].kod, 'data-varde': v,
      }));
      svg.append(s('text', {
        x: v < 0 ? a - 4 : b + 4, y: y + (radhojd - 4) / 2, 'dominant-baseline': 'middle',
        'text-anchor': v < 0 ? 'end' : 'start', class: 'stapel-varde', 'data-kod': k.kod, 'data-serie': spec.serier[j].kod,
      }, spec.format(v)));
    });
    y0 += grupp;
  });
  svg.append(s('line', { x1: x(0), x2: x(0), y1: 0, y2: hojd, class: 'axel' }));
  const delar = [svg];
  if (spec.serier.length > 1) delar.unshift(forklaring(spec.serier));
  behallare.replaceChildren(...delar);
}

let vantar = null;
window.addEventListener('resize', () => {
  clearTimeout(vantar);
  vantar = setTimeout(() => {
    document.querySelectorAll('.diagram').forEach((d) => {
      if (d.spec) staplar(d, d.spec);
    });
  }, 200);
});
