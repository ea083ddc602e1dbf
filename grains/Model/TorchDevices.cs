using static TorchSharp.torch;

namespace OpenLedger.Model;

/// <summary>Chooses where tensors live: the first CUDA device when this build has one, else the CPU.</summary>
public static class TorchDevices
{
    /// <summary>The device engines should place their weights on.</summary>
    public static Device Preferred => cuda.is_available() ? CUDA : CPU;

    /// <summary>A short description of the TorchSharp backend, for logs and `status` output.</summary>
    public static string Describe() =>
        cuda.is_available() ? $"cuda ({cuda.device_count()} device(s))" : $"cpu ({get_num_threads()} threads)";
}
