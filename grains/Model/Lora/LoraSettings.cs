namespace OpenLedger.Model.Lora;

/// <summary>
/// Which projections get a low-rank adapter and how it is scaled: delta W = (alpha / r) B A, or alpha / sqrt(r) with
/// rank-stabilised LoRA. Target names are the projections' short names (q_proj, k_proj, v_proj, o_proj, gate_proj,
/// up_proj, down_proj).
/// </summary>
public sealed record LoraSettings(int Rank, double Alpha, double Dropout, IReadOnlyList<string> TargetModules, bool UseRslora = false)
{
    /// <summary>Attention projections: the usual LoRA targets.</summary>
    public static readonly IReadOnlyList<string> AttentionTargets = ["q_proj", "k_proj", "v_proj", "o_proj"];

    /// <summary>Every projection a Llama layer has.</summary>
    public static readonly IReadOnlyList<string> AllTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>The factor B A is multiplied by.</summary>
    public double Scaling => UseRslora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Rank < 1 || Rank > 1024)
        {
            throw new ArgumentException($"LoRA rank {Rank} must be between 1 and 1024.");
        }
        if (Alpha <= 0 || double.IsNaN(Alpha) || double.IsInfinity(Alpha))
        {
            throw new ArgumentException($"LoRA alpha {Alpha} must be a positive number.");
        }
        if (Dropout < 0 || Dropout >= 1 || double.IsNaN(Dropout))
        {
            throw new ArgumentException($"LoRA dropout {Dropout} must be in [0, 1).");
        }
        if (TargetModules.Count == 0)
        {
            throw new ArgumentException("LoRA needs at least one target module (for example q_proj,v_proj).");
        }
        var unknown = TargetModules.Where(t => !AllTargets.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown LoRA target module(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", AllTargets)}.");
        }
    }

    /// <summary>Whether the projection at <paramref name="path"/> (model.layers.N.self_attn.q_proj) is a target.</summary>
    public bool Targets(string path) => TargetModules.Contains(path[(path.LastIndexOf('.') + 1)..]);
}
