// The one bridge between ApexCharts and Blazor: ApexChart.razor builds a small spec in C#,
// this module turns it into ApexCharts options, and reports bar clicks back to .NET.
// Browser tests wait for data-rendered="true" on the chart's container, never for time.
import ApexCharts from '../lib/apexcharts/apexcharts.esm.js';
import { download } from './chartimage.js';

const charts = new WeakMap();

// MudBlazor's dark palette has a dark surface; the tooltip picks its theme from it.
function isDark() {
    const surface = getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-surface').trim();
    const rgb = surface.match(/\d+/g);
    if (surface.startsWith('#') && surface.length >= 7) {
        return parseInt(surface.slice(1, 3), 16) + parseInt(surface.slice(3, 5), 16) + parseInt(surface.slice(5, 7), 16) < 384;
    }
    return rgb ? Number(rgb[0]) + Number(rgb[1]) + Number(rgb[2]) < 384 : false;
}

function container(element) {
    return element.closest('[data-chart]') ?? element;
}

function markDrawing(element) {
    container(element).setAttribute('data-rendered', 'false');
}

function markDrawn(element, spec) {
    const box = container(element);
    box.setAttribute('data-points', String(spec.categories.length));
    box.setAttribute('data-markers', String((spec.markers ?? []).length));
    box.setAttribute('data-rendered', 'true');
}

// Counts are whole numbers: hide the fractional ticks ApexCharts puts on small scales.
const wholeNumber = v => (Number.isInteger(v) ? v.toLocaleString() : '');

function toApexOptions(spec, dotNetRef, width) {
    // About one label per 45 px: 24 on a laptop, a handful on a phone.
    const maxLabels = Math.max(4, Math.min(24, Math.floor((width || 1000) / 45)));
    const horizontal = spec.horizontal === true;
    const max = Math.max(0, ...spec.series.flatMap(s => s.data));
    // Shares are percentages with decimals; counts are whole numbers.
    const valueAxis = spec.percent
        ? { min: 0, tickAmount: 5, labels: { formatter: v => `${Number(v).toFixed(max < 5 ? 1 : 0)}%` } }
        : { min: 0, tickAmount: Math.max(1, Math.min(max, 5)), labels: { formatter: wholeNumber } };
    // An empty chart shows only its noData message, not an axis of nothing.
    const empty = spec.categories.length === 0;
    return {
        chart: {
            type: spec.type,
            height: spec.height,
            // The page's font by name, not 'inherit': a saved image (saveImage) has no page to inherit from. Its double
            // quotes would end the SVG attribute it goes into, and the image would not load.
            fontFamily: (getComputedStyle(document.body).fontFamily || 'Roboto, Helvetica, Arial, sans-serif').replace(/"/g, "'"),
            foreColor: 'var(--mud-palette-text-secondary)',
            toolbar: { show: false },
            zoom: { enabled: false },
            animations: { enabled: false },
            // This module redraws on resize itself, so data-rendered is "false" while bars are being replaced.
            redrawOnParentResize: false,
            redrawOnWindowResize: false,
            events: {
                // ApexCharts selects on mousedown; a chart that can be dragged across reports its clicks on mouseup instead.
                dataPointSelection: (_event, _context, config) => {
                    if (!spec.rangeSelect && dotNetRef && config.dataPointIndex >= 0) {
                        dotNetRef.invokeMethodAsync('OnPointSelectedAsync', config.dataPointIndex);
                    }
                },
                // Area charts have no bars to select; a click near a point still picks it.
                click: (_event, _context, config) => {
                    if ((spec.type === 'area' || spec.type === 'line') && dotNetRef && config.dataPointIndex >= 0) {
                        dotNetRef.invokeMethodAsync('OnPointSelectedAsync', config.dataPointIndex);
                    }
                },
            },
        },
        series: spec.series.map(s => ({ name: s.name, data: s.data })),
        // In a horizontal bar chart ApexCharts swaps the axes: xaxis carries the values, yaxis the names.
        xaxis: empty
            ? { categories: [], labels: { show: false }, axisBorder: { show: false }, axisTicks: { show: false } }
            : horizontal
            ? { categories: spec.categories, ...valueAxis }
            : {
                categories: spec.categories,
                // A long range has more bars than labels fit: label about every nth bar.
                tickAmount: spec.categories.length > maxLabels ? maxLabels : undefined,
                labels: { rotate: -45, hideOverlappingLabels: true },
            },
        yaxis: empty ? { show: false } : horizontal ? { labels: { maxWidth: 180 } } : valueAxis,
        plotOptions: {
            bar: {
                horizontal,
                distributed: Array.isArray(spec.colors) && spec.colors.length > 1,
                borderRadius: 2,
                barHeight: '70%',
                columnWidth: spec.categories.length < 8 ? '30%' : '80%',
            },
        },
        colors: spec.colors && spec.colors.length > 0 ? spec.colors : undefined,
        legend: { show: spec.series.length > 1, position: 'top', horizontalAlign: 'left' },
        tooltip: { theme: isDark() ? 'dark' : 'light', ...(spec.percent ? { y: { formatter: v => `${Number(v).toFixed(2)}%` } } : {}) },
        dataLabels: { enabled: horizontal },
        stroke: { width: spec.type === 'bar' ? 0 : 2, curve: 'straight' },
        fill: spec.type === 'area' ? { type: 'solid', opacity: 0.3 } : { opacity: 1 },
        markers: { size: spec.type !== 'bar' && spec.categories.length < 40 ? 3 : 0 },
        states: { active: { filter: { type: 'none' } } },
        grid: { show: !empty, borderColor: 'var(--mud-palette-lines-default)' },
        // Events marked on the timeline: a dashed line over the bar of their day (or week, or month) with the label.
        annotations: {
            xaxis: empty || horizontal ? [] : (spec.markers ?? []).map(m => ({
                x: m.category,
                borderColor: '#ff9800',
                strokeDashArray: 4,
                label: { text: m.text, orientation: 'horizontal', borderColor: '#ff9800', style: { background: '#ff9800', color: '#fff' } },
            })),
        },
        noData: { text: 'Nothing in these articles' },
    };
}

export async function render(element, spec, dotNetRef) {
    destroy(element);
    markDrawing(element);
    const chart = new ApexCharts(element, toApexOptions(spec, dotNetRef, element.clientWidth));
    const entry = { chart, dotNetRef, spec, width: element.clientWidth, cleanup: [], queue: Promise.resolve() };
    charts.set(element, entry);
    entry.queue = chart.render().then(() => markDrawn(element, spec));
    await entry.queue;
    watchResize(element, entry);
    if (spec.rangeSelect) {
        entry.cleanup.push(enableRangeSelect(element, entry));
    }
}

// ApexCharts breaks when a redraw starts before the previous one ends (a filter change during a resize):
// every redraw of a chart waits for the one before it.
function redraw(element, entry) {
    const run = async () => {
        if (charts.get(element) !== entry) {
            return;
        }
        markDrawing(element);
        entry.width = element.clientWidth;
        // Replace the whole options object (not a merge) so a shorter category list does not keep old bars.
        await entry.chart.updateOptions(toApexOptions(entry.spec, entry.dotNetRef, entry.width), true, false, false);
        markDrawn(element, entry.spec);
    };
    entry.queue = entry.queue.then(run, run);
    return entry.queue;
}

export async function update(element, spec) {
    const entry = charts.get(element);
    if (!entry) {
        return;
    }
    entry.spec = spec;
    markDrawing(element);
    await redraw(element, entry);
}

export function destroy(element) {
    const entry = charts.get(element);
    if (entry) {
        entry.cleanup.forEach(undo => undo());
        entry.chart.destroy();
        charts.delete(element);
    }
}

// Redraw when the width changes (phone rotation, scrollbar, window resize), marked like any other redraw.
function watchResize(element, entry) {
    let timer = 0;
    const observer = new ResizeObserver(() => {
        if (element.clientWidth === entry.width || element.clientWidth === 0) {
            return;
        }
        markDrawing(element);
        clearTimeout(timer);
        timer = setTimeout(() => redraw(element, entry).catch(error => console.error('chart redraw failed', error)), 100);
    });
    observer.observe(element);
    entry.cleanup.push(() => { clearTimeout(timer); observer.disconnect(); });
}

// Drag across the bars to pick a range of categories. ApexCharts' own zoom wants a numeric or datetime
// axis and zooms the drawing; here a drag only reports the first and last bar and the URL does the rest.
function enableRangeSelect(element, entry) {
    const band = document.createElement('div');
    band.className = 'chart-selection';
    band.hidden = true;
    element.parentElement.appendChild(band);
    let start = null;
    let dragged = false;

    const plot = () => element.querySelector('.apexcharts-grid')?.getBoundingClientRect()
        ?? element.querySelector('.apexcharts-inner')?.getBoundingClientRect();
    const indexAt = (x, rect) => {
        const count = entry.spec.categories.length;
        const i = Math.floor(((x - rect.left) / rect.width) * count);
        return Math.min(count - 1, Math.max(0, i));
    };
    const onDown = e => {
        const rect = plot();
        if (e.button !== 0 || !rect || entry.spec.categories.length === 0 || e.clientX < rect.left || e.clientX > rect.right) {
            return;
        }
        start = { x: e.clientX, rect, bar: e.target.closest?.('path.apexcharts-bar-area')?.getAttribute('j') };
        dragged = false;
    };
    const onMove = e => {
        if (!start) {
            return;
        }
        if (Math.abs(e.clientX - start.x) > 6) {
            dragged = true;
        }
        if (dragged) {
            const left = Math.max(start.rect.left, Math.min(start.x, e.clientX));
            const right = Math.min(start.rect.right, Math.max(start.x, e.clientX));
            const host = element.parentElement.getBoundingClientRect();
            band.hidden = false;
            band.style.left = `${left - host.left}px`;
            band.style.width = `${right - left}px`;
            band.style.top = `${start.rect.top - host.top}px`;
            band.style.height = `${start.rect.height}px`;
        }
    };
    const onUp = e => {
        if (!start) {
            return;
        }
        const { x, rect, bar } = start;
        start = null;
        band.hidden = true;
        if (!entry.dotNetRef) {
            return;
        }
        if (dragged) {
            const a = indexAt(x, rect);
            const b = indexAt(e.clientX, rect);
            entry.dotNetRef.invokeMethodAsync('OnRangeSelectedAsync', Math.min(a, b), Math.max(a, b));
        } else if (bar != null) {
            entry.dotNetRef.invokeMethodAsync('OnPointSelectedAsync', Number(bar));
        }
    };
    // A drag that ends on a bar must not also count as a click on that bar.
    const onClick = e => {
        if (dragged) {
            e.stopPropagation();
            e.preventDefault();
            dragged = false;
        }
    };
    element.addEventListener('mousedown', onDown);
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    element.addEventListener('click', onClick, true);
    return () => {
        element.removeEventListener('mousedown', onDown);
        window.removeEventListener('mousemove', onMove);
        window.removeEventListener('mouseup', onUp);
        element.removeEventListener('click', onClick, true);
        band.remove();
    };
}

// A chart as a PNG to paste into a report: ApexCharts draws it at twice its size (chartimage.js puts it under its caption).
export async function saveImage(element, fileName, caption) {
    // A click right after the page opens may come before the chart is drawn: wait for it (ten seconds at most) rather
    // than do nothing, which is what the button did then.
    let entry = charts.get(element);
    for (let waited = 0; !entry && waited < 10000; waited += 100) {
        await new Promise(resolve => setTimeout(resolve, 100));
        entry = charts.get(element);
    }
    if (!entry) {
        return false;
    }
    await entry.queue;
    const { imgURI } = await entry.chart.dataURI({ scale: 2 });
    await download(imgURI, 1, fileName, caption);
    return true;
}
