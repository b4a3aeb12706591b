// Saving a chart or the map as a PNG to paste into a report, for apexchart.js and worldmap.js: the drawing (an image
// URL, SVG or PNG) is put on white under its caption and downloaded. The page's colours are CSS variables, which an
// image drawn apart from the page cannot resolve, so the callers hand over drawings whose colours are plain values.

function load(url) {
    return new Promise((resolve, reject) => {
        const image = new Image();
        image.onload = () => resolve(image);
        image.onerror = () => reject(new Error('the drawing could not be read as an image'));
        image.src = url;
    });
}

/** Draws `url` at `scale` times its own size under `caption` and downloads the result as `fileName`. */
export async function download(url, scale, fileName, caption) {
    const image = await load(url);
    const header = caption ? 60 : 0;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.naturalWidth * scale);
    canvas.height = Math.round(image.naturalHeight * scale) + header;
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (caption) {
        context.fillStyle = '#212121';
        context.font = '500 28px Roboto, Helvetica, Arial, sans-serif';
        context.fillText(caption, 24, 40);
    }
    context.drawImage(image, 0, header, canvas.width, canvas.height - header);
    const link = document.createElement('a');
    link.href = canvas.toDataURL('image/png');
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
}
