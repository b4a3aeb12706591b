// Links dragged onto the Upload page's drop zone (from an address bar, a page, a feed reader) carry no file: the
// file input would ignore them and the browser would leave the page for the link. They are handed to the page,
// which fetches each article; files dropped there go on to the file input as before.

function linksOf(dataTransfer) {
    if (!dataTransfer || Array.from(dataTransfer.types).includes('Files')) {
        return null;
    }
    const text = dataTransfer.getData('text/uri-list') || dataTransfer.getData('text/plain') || '';
    // text/uri-list holds one address per line; lines starting with # are comments.
    return text.split(/\r?\n/).map(line => line.trim()).filter(line => /^https?:\/\//i.test(line));
}

function carriesLink(event) {
    const types = event.dataTransfer ? Array.from(event.dataTransfer.types) : [];
    return !types.includes('Files') && (types.includes('text/uri-list') || types.includes('text/plain'));
}

export function watch(zone, page) {
    const over = event => {
        if (carriesLink(event)) {
            event.preventDefault();
            zone.classList.add('drop-link');
        }
    };
    const leave = () => zone.classList.remove('drop-link');
    const drop = event => {
        const links = linksOf(event.dataTransfer);
        if (links === null) {
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        leave();
        for (const link of links) {
            page.invokeMethodAsync('OnLinkDroppedAsync', link);
        }
    };
    // Captured on the zone, before the file input laid over it sees the event.
    zone.addEventListener('dragover', over, true);
    zone.addEventListener('dragleave', leave, true);
    zone.addEventListener('drop', drop, true);
    zone._linkDrop = { over, leave, drop };
}

export function unwatch(zone) {
    const handlers = zone && zone._linkDrop;
    if (handlers) {
        zone.removeEventListener('dragover', handlers.over, true);
        zone.removeEventListener('dragleave', handlers.leave, true);
        zone.removeEventListener('drop', handlers.drop, true);
        delete zone._linkDrop;
    }
}
