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
window.okapi.init();
