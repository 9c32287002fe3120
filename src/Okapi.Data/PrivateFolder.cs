namespace Okapi.Data;

/// <summary>
/// A folder for what only the app's own user may read (the database, the session keys): created 0700 on Unix. A folder
/// that already exists keeps the mode its owner gave it; elsewhere the folder's access list is inherited as usual.
/// </summary>
public static class PrivateFolder
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Create(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, Mode);
        }
    }
}
