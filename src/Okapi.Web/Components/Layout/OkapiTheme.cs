using MudBlazor;

namespace Okapi.Web.Components.Layout;

/// <summary>A calm palette: one accent, status colours that read the same everywhere.</summary>
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
            Success = "#2f9e44",
            Warning = "#e8590c",
            Error = "#e03131",
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
