// Small browser helpers for Okapi's pages.
window.okapi = {
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
