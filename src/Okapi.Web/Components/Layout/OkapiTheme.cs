using MudBlazor;

namespace Okapi.Web.Components.Layout;

/// <summary>
/// A calm palette: one accent, status colours that read the same everywhere. Every colour keeps a contrast of at least
/// 4.5:1 as text on white and on its own tint, and under white text (WCAG 2.2 AA).
/// </summary>
public static class OkapiTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3b5bdb",
            Secondary = "#7048e8",
            AppbarBackground = "#ffffff",
            AppbarText = "#1f2933",
            Background = "#f7f8fa",
            DrawerBackground = "#ffffff",
            Success = "#1e7b34",
            Warning = "#b8420b",
            Error = "#c92a2a",
            Info = "#1971c2",
            TextPrimary = "#1f2933",
            TextSecondary = "#52606d",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"] },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", AppbarHeight = "56px" },
    };
}
