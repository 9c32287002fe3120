// Small browser helpers for Okapi's pages.
window.okapi = {
    // The skip link moves focus into the page's main content. Handled here because the router would treat "#main"
    // as a link to the home page (the document's base is "/").
    init() {
        document.addEventListener('click', (e) => {
            const link = e.target.closest && e.target.closest('[data-skip-link]');
            const main = document.getElementById('main');
            if (link && main) {
                e.preventDefault();
                e.stopPropagation();
                main.focus();
                main.scrollIntoView();
            }
        }, true);
    },

    // Ctrl+K (or Cmd+K) opens the search palette from anywhere.
    onSearchShortcut(dotnet) {
        if (window.okapi._search) {
            document.removeEventListener('keydown', window.okapi._search);
        }
        window.okapi._search = (e) => {
            if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
                e.preventDefault();
                dotnet.invokeMethodAsync('OpenSearchFromShortcut');
            }
        };
        document.addEventListener('keydown', window.okapi._search);
    },
};

// Zoom and pan of a graph drawn by the server (the alignment graph): only the SVG's view box changes, so the
// server's markup, links and titles stay as they are. A view is {x, y, s}: the graph point at the viewport's top
// left and the screen pixels per graph unit.
window.okapi.graph = (() => {
    const views = new WeakMap();
    const minScale = 0.15, maxScale = 3, step = 1.25;
    const svgOf = (viewport) => viewport.querySelector('svg');
    const size = (svg) => ({ w: +svg.dataset.width, h: +svg.dataset.height });

    function apply(viewport, view) {
        const svg = svgOf(viewport);
        const cw = viewport.clientWidth || 1, ch = viewport.clientHeight || 1;
        views.set(viewport, view);
        svg.setAttribute('viewBox', `${view.x} ${view.y} ${cw / view.s} ${ch / view.s}`);
        svg.dataset.scale = view.s.toFixed(3);
    }

    // The whole graph in view, centred, never enlarged past its natural size.
    function fit(viewport) {
        const svg = viewport && svgOf(viewport);
        if (!svg) {
            return;
        }
        const { w, h } = size(svg);
        const cw = viewport.clientWidth || 1, ch = viewport.clientHeight || 1;
        const s = Math.max(minScale, Math.min(1, cw / w, ch / h));
        apply(viewport, { x: (w - cw / s) / 2, y: (h - ch / s) / 2, s });
    }

    // Zooms by a factor around a point of the viewport (its centre by default), which stays where it is.
    function zoom(viewport, factor, px, py) {
        const view = views.get(viewport);
        if (!view) {
            return;
        }
        px ??= viewport.clientWidth / 2;
        py ??= viewport.clientHeight / 2;
        const s = Math.min(maxScale, Math.max(minScale, view.s * factor));
        apply(viewport, { x: view.x + px / view.s - px / s, y: view.y + py / view.s - py / s, s });
    }

    function pan(viewport, dx, dy) {
        const view = views.get(viewport);
        if (view) {
            apply(viewport, { x: view.x - dx / view.s, y: view.y - dy / view.s, s: view.s });
        }
    }

    // A node reached with the keyboard is brought into view.
    function reveal(viewport, node) {
        const view = views.get(viewport);
        const box = node.querySelector('rect');
        const g = node.querySelector('g');
        const match = g && /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform'));
        if (!view || !box || !match) {
            return;
        }
        const x = +match[1], y = +match[2], w = +box.getAttribute('width'), h = +box.getAttribute('height');
        const vw = viewport.clientWidth / view.s, vh = viewport.clientHeight / view.s;
        if (x < view.x || y < view.y || x + w > view.x + vw || y + h > view.y + vh) {
            apply(viewport, { x: x + w / 2 - vw / 2, y: y + h / 2 - vh / 2, s: view.s });
        }
    }

    function caption(node) {
        const graph = node.closest('[data-graph]');
        const text = graph && graph.querySelector('[data-graph-caption]');
        const title = node.querySelector('title');
        if (text && title) {
            text.textContent = title.textContent;
            text.dataset.shown = '';
        }
    }

    const pointers = new Map();
    let gesture = null;

    function listen() {
        document.addEventListener('click', (e) => {
            const button = e.target.closest && e.target.closest('[data-graph-zoom]');
            const viewport = button && button.closest('[data-graph]')?.querySelector('.okapi-graph__viewport');
            if (viewport) {
                const action = button.dataset.graphZoom;
                action === 'fit' ? fit(viewport) : zoom(viewport, action === 'in' ? step : 1 / step);
            }
        });

        // After a drag, the click that ends it must not follow a node's link.
        document.addEventListener('click', (e) => {
            if (gesture && gesture.moved && e.target.closest && e.target.closest('.okapi-graph__viewport')) {
                e.preventDefault();
                e.stopPropagation();
            }
            if (pointers.size === 0) {
                gesture = null;
            }
        }, true);

        document.addEventListener('wheel', (e) => {
            const viewport = e.target.closest && e.target.closest('.okapi-graph__viewport');
            if (!viewport) {
                return;
            }
            e.preventDefault();
            // A trackpad pinch arrives as a wheel with Ctrl held and small deltas.
            const rect = viewport.getBoundingClientRect();
            zoom(viewport, Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), e.clientX - rect.left, e.clientY - rect.top);
        }, { passive: false });

        document.addEventListener('pointerdown', (e) => {
            const viewport = e.target.closest && e.target.closest('.okapi-graph__viewport');
            if (!viewport || (e.pointerType === 'mouse' && e.button !== 0)) {
                return;
            }
            pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
            gesture = { viewport, moved: false, distance: null };
        });

        document.addEventListener('pointermove', (e) => {
            const last = pointers.get(e.pointerId);
            if (!last || !gesture) {
                return;
            }
            const viewport = gesture.viewport;
            if (pointers.size === 2) {
                // Two fingers: zoom by how far apart they move, around the point between them.
                pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
                const [a, b] = [...pointers.values()];
                const distance = Math.hypot(a.x - b.x, a.y - b.y);
                const rect = viewport.getBoundingClientRect();
                if (gesture.distance) {
                    zoom(viewport, distance / gesture.distance, (a.x + b.x) / 2 - rect.left, (a.y + b.y) / 2 - rect.top);
                }
                gesture.distance = distance;
                gesture.moved = true;
                return;
            }
            const dx = e.clientX - last.x, dy = e.clientY - last.y;
            if (!gesture.moved && Math.hypot(dx, dy) < 4) {
                return;
            }
            if (!gesture.moved) {
                // Captured only once it is a drag, so that a plain click still reaches the node under it.
                gesture.moved = true;
                viewport.setPointerCapture?.(e.pointerId);
                viewport.classList.add('okapi-graph--dragging');
            }
            pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
            pan(viewport, dx, dy);
        });

        const end = (e) => {
            if (!pointers.delete(e.pointerId) || !gesture) {
                return;
            }
            gesture.distance = null;
            if (pointers.size === 0) {
                gesture.viewport.classList.remove('okapi-graph--dragging');
            }
        };
        document.addEventListener('pointerup', end);
        document.addEventListener('pointercancel', end);

        for (const type of ['mouseover', 'focusin']) {
            document.addEventListener(type, (e) => {
                const node = e.target.closest && e.target.closest('[data-graph] [data-testid=graph-node]');
                if (node) {
                    caption(node);
                    if (type === 'focusin') {
                        reveal(node.closest('.okapi-graph__viewport'), node);
                    }
                }
            });
        }

        // The view keeps its scale and top left corner when the window changes size.
        window.addEventListener('resize', () => {
            document.querySelectorAll('[data-graph] .okapi-graph__viewport').forEach((viewport) => {
                const view = views.get(viewport);
                if (view) {
                    apply(viewport, view);
                }
            });
        });
    }

    return { listen, fit, zoom };
})();
window.okapi.init();
window.okapi.graph.listen();
