// Opens the dashboard in Debian's Chromium and saves the README's picture of its first screen.
//   node capture.mjs BASE_URL OUT.png [PATH]
import { chromium } from 'playwright-core';

const [base, out, path = '/'] = process.argv.slice(2);
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
await page.goto(base + path);
// The page is interactive once Blazor's circuit is up; the charts say when ApexCharts has drawn them.
for (const chart of ['volume', 'countries', 'actors', 'topics', 'map']) {
    await page.locator(`[data-chart=${chart}][data-rendered=true]`).waitFor({ timeout: 120_000 });
}
await page.waitForTimeout(500);
await page.screenshot({ path: out });
await browser.close();
