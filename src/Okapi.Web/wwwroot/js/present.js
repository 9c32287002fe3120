// Keyboard navigation of presentation mode, on the whole document so that it works wherever the focus is.
const actions = {
    ArrowRight: 'next', PageDown: 'next', ' ': 'next',
    ArrowLeft: 'previous', PageUp: 'previous',
    Home: 'first', End: 'last', Escape: 'leave',
};
let handler = null;

export function listen(dotnet) {
    stop();
    handler = (e) => {
        const action = actions[e.key];
        if (!action || e.ctrlKey || e.altKey || e.metaKey) {
            return;
        }
        e.preventDefault();
        dotnet.invokeMethodAsync('OnKey', action);
    };
    document.addEventListener('keydown', handler);
}

export function stop() {
    if (handler) {
        document.removeEventListener('keydown', handler);
        handler = null;
    }
}
