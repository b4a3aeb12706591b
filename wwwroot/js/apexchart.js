// The one bridge between ApexCharts and Blazor: ApexChart.razor builds a small spec in C#,
// this module turns it into ApexCharts options, and reports bar clicks back to .NET.
// Browser tests wait for data-rendered="true" on the chart's container, never for time.
import ApexCharts from '../lib/apexcharts/apexcharts.esm.js';

const charts = new WeakMap();

function container(element) {
    return element.closest('[data-chart]') ?? element;
}

function markDrawing(element) {
    container(element).setAttribute('data-rendered', 'false');
}

function markDrawn(element, spec) {
    const box = container(element);
    box.setAttribute('data-points', String(spec.categories.length));
    box.setAttribute('data-rendered', 'true');
}

// Counts are whole numbers: hide the fractional ticks ApexCharts puts on small scales.
const wholeNumber = v => (Number.isInteger(v) ? v.toLocaleString() : '');

function toApexOptions(spec, dotNetRef) {
    const horizontal = spec.horizontal === true;
    const max = Math.max(0, ...spec.series.flatMap(s => s.data));
    const valueAxis = { min: 0, tickAmount: Math.max(1, Math.min(max, 5)), labels: { formatter: wholeNumber } };
    // An empty chart shows only its noData message, not an axis of nothing.
    const empty = spec.categories.length === 0;
    return {
        chart: {
            type: spec.type,
            height: spec.height,
            fontFamily: 'inherit',
            foreColor: 'var(--mud-palette-text-secondary)',
            toolbar: { show: false },
            zoom: { enabled: false },
            animations: { enabled: false },
            events: {
                dataPointSelection: (_event, _context, config) => {
                    if (dotNetRef && config.dataPointIndex >= 0) {
                        dotNetRef.invokeMethodAsync('OnPointSelectedAsync', config.dataPointIndex);
                    }
                },
                // Area charts have no bars to select; a click near a point still picks it.
                click: (_event, _context, config) => {
                    if (spec.type === 'area' && dotNetRef && config.dataPointIndex >= 0) {
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
                tickAmount: spec.categories.length > 24 ? 24 : undefined,
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
        legend: { show: false },
        dataLabels: { enabled: horizontal },
        stroke: { width: spec.type === 'area' ? 2 : 0, curve: 'straight' },
        fill: spec.type === 'area' ? { type: 'solid', opacity: 0.3 } : { opacity: 1 },
        markers: { size: spec.type === 'area' && spec.categories.length < 40 ? 3 : 0 },
        states: { active: { filter: { type: 'none' } } },
        grid: { show: !empty, borderColor: 'var(--mud-palette-lines-default)' },
        noData: { text: 'Nothing in these articles' },
    };
}

export async function render(element, spec, dotNetRef) {
    destroy(element);
    markDrawing(element);
    const chart = new ApexCharts(element, toApexOptions(spec, dotNetRef));
    charts.set(element, { chart, dotNetRef });
    await chart.render();
    markDrawn(element, spec);
}

export async function update(element, spec) {
    const entry = charts.get(element);
    if (!entry) {
        return;
    }
    markDrawing(element);
    // Replace the whole options object (not a merge) so a shorter category list does not keep old bars.
    await entry.chart.updateOptions(toApexOptions(spec, entry.dotNetRef), true, false, false);
    markDrawn(element, spec);
}

export function destroy(element) {
    const entry = charts.get(element);
    if (entry) {
        entry.chart.destroy();
        charts.delete(element);
    }
}
