using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Marks one version requirement (a Vernaux entry of .gnu.version_r) of ELF64 little-endian files as weak
// (VER_FLG_WEAK), so the dynamic loader tolerates its absence. Skipped when the system libstdc++ already
// provides that version, so hosts with a newer toolchain run the library exactly as shipped.
public class WeakenElfVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (SystemProvides(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides {0}; nothing to patch.", VersionName);
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            var bytes = File.ReadAllBytes(path);
            var changed = Weaken(bytes, VersionName);
            if (changed > 0)
            {
                File.WriteAllBytes(path, bytes);
                Log.LogMessage(MessageImportance.High, "Marked {0} weak in {1}.", VersionName, path);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemProvides(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
            }
        }
        return false;
    }

    private int Weaken(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogWarning("Not a 64-bit little-endian ELF file; left unchanged.");
            return 0;
        }
        var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        var changed = 0;
        for (var i = 0; i < shnum; i++)
        {
            var sh = shoff + i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed)
            {
                continue;
            }
            var offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
            var link = BitConverter.ToUInt32(elf, (int)sh + 0x28);
            var strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + link * shentsize) + 0x18);
            var need = offset;
            while (true)
            {
                int count = BitConverter.ToUInt16(elf, (int)need + 2);
                var aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (var j = 0; j < count; j++)
                {
                    var name = ReadString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    var flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (name == version && (flags & VerFlagWeak) == 0)
                    {
                        var weak = BitConverter.GetBytes((ushort)(flags | VerFlagWeak));
                        elf[aux + 4] = weak[0];
                        elf[aux + 5] = weak[1];
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                var next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0)
                {
                    break;
                }
                need += next;
            }
        }
        return changed;
    }

    private static string ReadString(byte[] bytes, long start)
    {
        var end = start;
        while (bytes[end] != 0)
        {
            end++;
        }
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }
            if (match)
            {
                return i;
            }
        }
        return -1;
    }
}
