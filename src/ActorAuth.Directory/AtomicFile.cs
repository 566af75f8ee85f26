namespace ActorAuth.Directory;

/// <summary>
/// Whole-file replacement that readers never see half-done: write a temporary file in the same directory, then
/// rename it over the target (rename(2) is atomic within a file system). A crash leaves at worst a stray temp file.
/// </summary>
internal static class AtomicFile
{
    public static async Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, contents, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
