// Starts Blazor (App.razor loads it with autostart="false") with Okapi's reconnection: when the circuit's connection
// drops, a banner says so and the page behind it is inert, so that no click is silently lost; retries back off from
// one second to thirty; the banner says when the connection is back; a server that no longer knows the circuit (it
// restarted, or kept it too long) gets a fresh page.
(() => {
    const longestWait = 30_000;
    const restoredFor = 4_000;
    let hideLater;

    function banner() {
        return document.getElementById('components-reconnect-modal');
    }

    function show(text, state, canReload) {
        const element = banner();
        clearTimeout(hideLater);
        element.querySelector('[data-reconnect-text]').textContent = text;
        element.querySelector('[data-reconnect-reload]').hidden = !canReload;
        element.dataset.state = state;
        element.hidden = false;
    }

    // Everything but the banner stops taking clicks, keys and focus, and looks it.
    function setPageInert(inert) {
        document.body.classList.toggle('okapi-offline', inert);
        for (const child of document.body.children) {
            if (child !== banner() && child.tagName !== 'SCRIPT') {
                child.inert = inert;
            }
        }
    }

    function onStateChanged(event) {
        const detail = event.detail || {};
        switch (detail.state) {
            case 'show':
                setPageInert(true);
                show('Connection lost. Reconnecting…', 'down', false);
                break;
            case 'retrying':
                show(detail.secondsToNextAttempt > 0
                    ? `Connection lost. Trying again in ${detail.secondsToNextAttempt} s…`
                    : 'Connection lost. Reconnecting…', 'down', false);
                break;
            case 'hide':
                setPageInert(false);
                show('Connection restored.', 'back', false);
                hideLater = setTimeout(() => { banner().hidden = true; }, restoredFor);
                break;
            case 'failed':
            case 'resume-failed':
                show('Still no connection. Check your network, then reload the page.', 'failed', true);
                break;
            case 'rejected':
                show('The server has restarted. Reloading the page…', 'down', false);
                location.reload();
                break;
        }
    }

    banner().addEventListener('components-reconnect-state-changed', onStateChanged);
    banner().querySelector('[data-reconnect-reload]').addEventListener('click', () => location.reload());

    Blazor.start({
        circuit: {
            reconnectionOptions: {
                // About eight hours at the longest wait: a laptop that slept through the night still comes back.
                maxRetries: 1000,
                retryIntervalMilliseconds: attempt => Math.min(longestWait, 1000 * 2 ** attempt),
            },
        },
    });
})();
