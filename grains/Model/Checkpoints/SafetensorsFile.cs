using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace OpenLedger.Model.Checkpoints;

/// <summary>
/// A parsed safetensors file: an 8-byte little-endian header length, a JSON header mapping each tensor name to its
/// dtype, shape and byte range, then the tensor bytes. Every entry is checked when the file is opened, so a truncated
/// or inconsistent file fails before any tensor is handed out.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100 * 1024 * 1024;
    private const string Remedy = "The file is damaged or not safetensors; write it again or download it again.";

    // Either the data section in memory, or an open file and where its data section starts: files are read tensor by
    // tensor, so a checkpoint never has to fit in memory twice.
    private readonly ReadOnlyMemory<byte> _data;
    private readonly SafeFileHandle? _file;
    private readonly long _dataStart;
    private readonly Dictionary<string, Entry> _entries;

    private SafetensorsFile(string source, ReadOnlyMemory<byte> data, SafeFileHandle? file, long dataStart,
        Dictionary<string, Entry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Source = source;
        _data = data;
        _file = file;
        _dataStart = dataStart;
        _entries = entries;
        Metadata = metadata;
    }

    /// <summary>Where the bytes came from, for error messages.</summary>
    public string Source { get; }

    /// <summary>The header's <c>__metadata__</c> string map.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensor names in the file.</summary>
    public IEnumerable<string> Names => _entries.Keys;

    /// <summary>The shape stored for <paramref name="name"/>.</summary>
    public long[] Shape(string name) => Get(name).Shape;

    /// <summary>The dtype stored for <paramref name="name"/>.</summary>
    public ScalarType Dtype(string name) => Get(name).Type;

    /// <summary>Whether the file holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Opens and validates a file on disk; tensors are read from it as they are loaded. Dispose to close it.</summary>
    public static SafetensorsFile Open(string path)
    {
        var handle = File.OpenHandle(path);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < 8)
            {
                throw new CheckpointException(path, $"only {length} bytes, shorter than the 8-byte header length", Remedy);
            }
            var prefix = new byte[8];
            ReadExactly(handle, prefix, 0);
            var headerLength = CheckHeaderLength(path, BinaryPrimitives.ReadUInt64LittleEndian(prefix), length);
            var header = new byte[headerLength];
            ReadExactly(handle, header, 8);
            var (entries, metadata) = ParseHeader(path, header, length - 8 - headerLength);
            return new SafetensorsFile(path, default, handle, 8 + headerLength, entries, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Validates the header of <paramref name="bytes"/> against its length.</summary>
    public static SafetensorsFile Parse(ReadOnlyMemory<byte> bytes, string source)
    {
        if (bytes.Length < 8)
        {
            throw new CheckpointException(source, $"only {bytes.Length} bytes, shorter than the 8-byte header length", Remedy);
        }
        var headerLength = (int)CheckHeaderLength(source, BinaryPrimitives.ReadUInt64LittleEndian(bytes.Span[..8]), bytes.Length);
        var (entries, metadata) = ParseHeader(source, bytes.Span.Slice(8, headerLength), bytes.Length - 8 - headerLength);
        return new SafetensorsFile(source, bytes[(8 + headerLength)..], null, 0, entries, metadata);
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();

    private static long CheckHeaderLength(string source, ulong headerLength, long totalLength)
    {
        if (headerLength > MaxHeaderBytes || (long)headerLength > totalLength - 8)
        {
            throw new CheckpointException(source, $"header length {headerLength} exceeds the file's {totalLength - 8} remaining bytes (truncated?)", Remedy);
        }
        return (long)headerLength;
    }

    private static (Dictionary<string, Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(string source, ReadOnlySpan<byte> json, long dataLength)
    {
        JsonObject header;
        try
        {
            header = CheckpointJson.Parse(json) as JsonObject
                ?? throw new CheckpointException(source, "header is not a JSON object", Remedy);
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(source, $"header is not valid JSON ({ex.Message})", Remedy);
        }

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (key, value) in node as JsonObject ?? [])
                {
                    metadata[key] = value is JsonValue text && text.TryGetValue<string>(out var s) ? s
                        : throw new CheckpointException(source, $"metadata '{key}' is not a string", Remedy);
                }
                continue;
            }
            entries[name] = ParseEntry(source, name, node, dataLength, Remedy);
        }

        // Tensors must tile the data section exactly: no overlaps and no gaps, as the format requires.
        long expected = 0;
        foreach (var entry in entries.Values.OrderBy(e => e.Begin))
        {
            if (entry.Begin != expected)
            {
                throw new CheckpointException(source, $"tensor '{entry.Name}' starts at byte {entry.Begin}, expected {expected} (overlap or gap)", Remedy);
            }
            expected = entry.End;
        }
        if (expected != dataLength)
        {
            throw new CheckpointException(source, $"tensors cover {expected} bytes but the data section has {dataLength}", Remedy);
        }
        return (entries, metadata);
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException("the file ended early");
            }
            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>
    /// Copies a float32 tensor held in memory straight into <paramref name="destination"/> (row-major, no tensor in
    /// between). False when the tensor is stored in another dtype or the file is read from disk.
    /// </summary>
    public bool TryCopyFloat32(string name, Span<float> destination)
    {
        var entry = Get(name);
        if (entry.Type != ScalarType.Float32 || _file is not null || !BitConverter.IsLittleEndian || destination.Length * sizeof(float) != entry.End - entry.Begin)
        {
            return false;
        }
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(_data.Span[(int)entry.Begin..(int)entry.End]).CopyTo(destination);
        return true;
    }

    /// <summary>A new CPU tensor with the stored dtype and a copy of the stored bytes.</summary>
    public Tensor Load(string name)
    {
        var entry = Get(name);
        var tensor = empty(entry.Shape, entry.Type);
        if (entry.End > entry.Begin)
        {
            if (_file is not null)
            {
                // Straight into the tensor's own storage: no intermediate array.
                ReadExactly(_file, tensor.bytes, _dataStart + entry.Begin);
            }
            else
            {
                _data.Span[(int)entry.Begin..(int)entry.End].CopyTo(tensor.bytes);
            }
        }
        return tensor;
    }

    /// <summary>Writes tensors (sorted by name, so output is deterministic) in their own dtypes.</summary>
    public static void Write(Stream output, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                meta[key] = value;
            }
            header["__metadata__"] = meta;
        }
        // The header is known from shapes and dtypes alone, so tensors are copied out one at a time as they are
        // written rather than all held in memory first.
        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            var bytes = tensor.numel() * TensorDtypes.ElementBytes(tensor.dtype);
            header[name] = new JsonObject
            {
                ["dtype"] = TensorDtypes.ToSafetensors(tensor.dtype),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces to an 8-byte boundary so tensor data is aligned, as the reference writer does.
        var padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        output.Write(length);
        output.Write(json);
        for (var i = json.Length; i < padded; i++)
        {
            output.WriteByte((byte)' ');
        }
        foreach (var (_, tensor) in ordered)
        {
            using var scope = NewDisposeScope();
            output.Write(tensor.detach().cpu().contiguous().bytes);
        }
    }

    /// <summary>Writes tensors to a file.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var file = File.Create(path);
        Write(file, tensors, metadata);
    }

    private Entry Get(string name) =>
        _entries.TryGetValue(name, out var entry)
            ? entry
            : throw new CheckpointException(Source, $"no tensor named '{name}'", "Check the tensor names against the model.");

    private static Entry ParseEntry(string source, string name, JsonNode? node, long dataLength, string remedy)
    {
        if (node is not JsonObject info)
        {
            throw new CheckpointException(source, $"header entry '{name}' is not an object", remedy);
        }
        var code = info["dtype"] is JsonValue dtypeText && dtypeText.TryGetValue<string>(out var text) ? text : "";
        var dtype = TensorDtypes.FromSafetensors(code)
            ?? throw new CheckpointException(source, $"tensor '{name}' has dtype '{code}', which is not supported",
                "Convert the checkpoint to F32, F16 or BF16.");
        long[] shape;
        long begin, end;
        try
        {
            shape = (info["shape"] as JsonArray ?? []).Select(d => d!.GetValue<long>()).ToArray();
            var offsets = info["data_offsets"] as JsonArray;
            if (offsets is not { Count: 2 })
            {
                throw new CheckpointException(source, $"tensor '{name}' lacks data_offsets [begin, end]", remedy);
            }
            begin = offsets[0]!.GetValue<long>();
            end = offsets[1]!.GetValue<long>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new CheckpointException(source, $"header entry '{name}' has a malformed shape or offsets", remedy);
        }
        if (shape.Any(d => d < 0))
        {
            throw new CheckpointException(source, $"tensor '{name}' has a negative dimension", remedy);
        }
        if (begin < 0 || end < begin || end > dataLength)
        {
            throw new CheckpointException(source, $"tensor '{name}' spans bytes {begin}..{end} but the data section has {dataLength} (truncated?)", remedy);
        }
        long elements, bytes;
        try
        {
            elements = shape.Aggregate(1L, (a, d) => checked(a * d));
            // Unchecked, a shape of 2^62 floats would need 0 bytes and pass for an empty tensor.
            bytes = checked(elements * dtype.Bytes);
        }
        catch (OverflowException)
        {
            throw new CheckpointException(source, $"tensor '{name}' has an impossibly large shape", remedy);
        }
        if (bytes != end - begin)
        {
            throw new CheckpointException(source,
                $"tensor '{name}' of shape [{string.Join(", ", shape)}] {code} needs {bytes} bytes but spans {end - begin}", remedy);
        }
        return new Entry(name, dtype.Type, shape, begin, end);
    }

    private sealed record Entry(string Name, ScalarType Type, long[] Shape, long Begin, long End);
}
