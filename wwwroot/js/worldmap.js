// The world map: jsvectormap draws a choropleth of country counts keyed by ISO 3166-1 alpha-2 (our
// country key) and reports a click on a country back to .NET. jsvectormap and its world map are plain
// scripts that register a global, so they are loaded once with script tags before the first map.
// Browser tests wait for data-rendered="true" on the [data-chart=map] container, never for time.

import { download } from './chartimage.js';

let loading = null;

function loadScript(src) {
    return new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = src;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`could not load ${src}`));
        document.head.appendChild(script);
    });
}

function loadLibrary() {
    if (!loading) {
        const css = document.createElement('link');
        css.rel = 'stylesheet';
        css.href = 'lib/jsvectormap/jsvectormap.min.css';
        document.head.appendChild(css);
        loading = loadScript('lib/jsvectormap/jsvectormap.min.js').then(() => loadScript('lib/jsvectormap/maps/world.js'));
    }
    return loading;
}

const maps = new WeakMap();

const light = [214, 210, 248];
const dark = [46, 31, 158];

function shade(t) {
    const channel = i => Math.round(light[i] + (dark[i] - light[i]) * t).toString(16).padStart(2, '0');
    return `#${channel(0)}${channel(1)}${channel(2)}`;
}

function container(element) {
    return element.closest('[data-chart]') ?? element;
}

function draw(element, entry) {
    const { spec, dotNetRef } = entry;
    const box = container(element);
    box.setAttribute('data-rendered', 'false');
    if (entry.map) {
        entry.map.destroy();
        element.innerHTML = '';
    }
    const values = {};
    for (const country of spec.countries) {
        values[country.key] = country.count;
    }
    const map = new window.jsVectorMap({
        selector: element,
        map: 'world',
        zoomButtons: false,
        zoomOnScroll: false,
        draggable: false,
        regionStyle: {
            // Countries without articles take their grey from app.css, so they follow the light or dark theme.
            initial: { stroke: 'none' },
            hover: { fillOpacity: 0.75, cursor: 'pointer' },
        },
        onRegionTooltipShow(_event, tooltip, code) {
            const count = values[code] ?? 0;
            tooltip.text(`${tooltip.text()}: ${count.toLocaleString()} ${spec.unit}`);
        },
        onRegionClick(_event, code) {
            dotNetRef?.invokeMethodAsync('OnCountrySelectedAsync', code);
        },
    });
    // Coloured here rather than with jsvectormap's visualizeData, which paints every country black when all
    // counts are equal. Light to dark in the countries' chart colour, on a square-root scale so one dominant
    // country does not wash out the rest.
    const max = Math.max(1, ...spec.countries.map(c => c.count));
    for (const country of spec.countries) {
        const region = map.regions[country.key];
        if (region) {
            // An inline style outranks the theme's grey in app.css.
            region.element.shape.node.style.fill = shade(Math.sqrt(country.count / max));
        }
    }
    offMap(box, spec, map, dotNetRef);
    entry.map = map;
    box.setAttribute('data-points', String(spec.countries.length));
    box.setAttribute('data-rendered', 'true');
}

// Small states (Singapore, Bahrain, Malta, ...) have no shape on the world map at this scale: they are listed
// under it with their counts, and a click filters by them as a click on a shape does.
function offMap(box, spec, map, dotNetRef) {
    box.querySelector('.world-map-offmap')?.remove();
    const missing = spec.countries.filter(c => c.count > 0 && !map.regions[c.key]).sort((a, b) => b.count - a.count);
    if (missing.length === 0) {
        return;
    }
    const list = document.createElement('div');
    list.className = 'world-map-offmap';
    list.setAttribute('data-offmap', String(missing.length));
    list.append('Not drawn at this scale: ');
    missing.forEach((country, i) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'link-button';
        button.setAttribute('data-offmap-country', country.key);
        button.textContent = `${country.name} (${country.count.toLocaleString()})`;
        button.addEventListener('click', () => dotNetRef?.invokeMethodAsync('OnCountrySelectedAsync', country.key));
        if (i > 0) {
            list.append(' · ');
        }
        list.append(button);
    });
    box.querySelector('.world-map-canvas')?.after(list);
}

// An update can arrive while the library is still loading: it only replaces the spec the first draw uses.
export async function render(element, spec, dotNetRef) {
    const entry = { spec, dotNetRef, map: null };
    maps.set(element, entry);
    await loadLibrary();
    if (maps.get(element) === entry) {
        draw(element, entry);
    }
}

export async function update(element, spec) {
    const entry = maps.get(element);
    if (entry) {
        entry.spec = spec;
        if (entry.map) {
            draw(element, entry);
        }
    }
}

export function destroy(element) {
    const entry = maps.get(element);
    if (entry) {
        entry.map?.destroy();
        element.innerHTML = '';
        maps.delete(element);
    }
}

// The map as a PNG to paste into a report, at twice its size under its caption (chartimage.js). Its greys and strokes
// come from the theme's CSS variables, which a picture drawn apart from the page cannot resolve: each country's
// colours are copied as plain values onto a copy of the map first.
export async function saveImage(element, fileName, caption) {
    // As a chart's: a click before the map is drawn waits for it (ten seconds at most).
    let svg = element.querySelector('svg');
    for (let waited = 0; !svg && waited < 10000; waited += 100) {
        await new Promise(resolve => setTimeout(resolve, 100));
        svg = element.querySelector('svg');
    }
    if (!svg) {
        return false;
    }
    const copy = svg.cloneNode(true);
    const shapes = svg.querySelectorAll('path');
    copy.querySelectorAll('path').forEach((path, i) => {
        const style = getComputedStyle(shapes[i]);
        path.setAttribute('style', `fill: ${style.fill}; stroke: ${style.stroke}; stroke-width: ${style.strokeWidth}`);
    });
    const box = svg.getBoundingClientRect();
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    copy.setAttribute('width', String(Math.round(box.width)));
    copy.setAttribute('height', String(Math.round(box.height)));
    const url = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(copy));
    await download(url, 2, fileName, caption);
    return true;
}
