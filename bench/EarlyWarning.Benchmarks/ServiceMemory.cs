namespace EarlyWarning.Benchmarks;

/// <summary>Peak resident memory of the running services, read from /proc (VmHWM).</summary>
internal static class ServiceMemory
{
    public static IEnumerable<(string Service, long PeakKiB)> Peaks()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string cmdline, status;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                status = File.ReadAllText(Path.Combine(dir, "status"));
            }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            var dll = cmdline.Split(' ').FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal) && a.Contains("EarlyWarning.", StringComparison.Ordinal));
            if (dll is null || dll.Contains("Benchmarks", StringComparison.Ordinal)) continue;
            var line = status.Split('\n').FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is null) continue;
            yield return (Path.GetFileNameWithoutExtension(dll).Replace("EarlyWarning.", ""), long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        }
    }
}
