using OpenLedger.Datanets;
using OpenLedger.Models;
using OpenLedger.Serving;

namespace OpenLedger.Silo.Endpoints;

/// <summary>The grid's records as the dashboard routes write them (serialized with <see cref="GridJson.Options"/>, so in snake_case).</summary>
public static class GridViews
{
    /// <summary>A Datanet with its counts and snapshots.</summary>
    public static object Datanet(DatanetInfo d) => new
    {
        d.Id,
        d.Spec.Name,
        d.Spec.Domain,
        d.Spec.Description,
        d.Spec.Licence,
        d.Owner,
        curation = d.Spec.Curation.Mode,
        d.CreatedAt,
        contributions = new { d.Counts.Pending, d.Counts.Approved, d.Counts.Rejected, total = d.Counts.Total, d.Counts.Bytes, d.Counts.Records },
        snapshots = d.Snapshots.Select(s => new { number = s.Number, s.Root, contributions = s.ContributionCount, s.Records, s.Bytes, s.CreatedAt }),
    };

    /// <summary>A published model with its provenance: owner, base model and hash, snapshot roots, hyperparameters, adapter hash, metrics, price.</summary>
    public static object Model(ModelInfo m)
    {
        var p = m.Publication;
        return new
        {
            id = m.ModelId,
            p.Owner,
            base_model = p.BaseModel,
            base_model_hash = p.BaseModelHash,
            snapshots = p.Snapshots.Select(s => new { datanet = s.DatanetId, snapshot = s.Snapshot, s.Root, s.Contributions }),
            hyperparameters = p.Settings,
            adapter_hash = p.AdapterHash,
            job_id = p.JobId,
            metrics = p.Metrics,
            price_per_1k_tokens_wei = m.PricePerThousandTokensWei,
            published_at = m.PublishedAt,
        };
    }

    /// <summary>A deployed adapter and where its weights are now.</summary>
    public static object Adapter(AdapterInfo a) => new
    {
        id = a.AdapterId,
        base_model = a.BaseModel,
        a.Source,
        a.Rank,
        device_bytes = a.DeviceBytes,
        a.Pinned,
        a.Residency,
        a.Silo,
        a.Requests,
        completion_tokens = a.CompletionTokens,
        deployed_at = a.DeployedAt,
    };

    /// <summary>A training job's progress with its loss curve, in the shape of OpenAI's fine-tuning job plus the grid's fields.</summary>
    public static object Job(TrainingJobStatus s) => new
    {
        @object = "fine_tuning.job",
        id = s.JobId,
        model_id = s.Spec.ModelId,
        base_model = s.Spec.BaseModel,
        s.Spec.Owner,
        datanets = s.Spec.Snapshots.Select(r => new { datanet = r.DatanetId, snapshot = r.Snapshot }),
        hyperparameters = s.Spec.Settings,
        status = s.State,
        finished = s.IsFinal,
        s.Step,
        total_steps = s.TotalSteps,
        s.Epoch,
        loss = double.IsFinite(s.Loss) ? s.Loss : (double?)null,
        tokens_per_second = s.TokensPerSecond,
        checkpoint_step = s.CheckpointStep,
        s.Resumes,
        base_validation_loss = s.BaseValidationLoss,
        validation_loss = s.ValidationLoss,
        loss_curve = s.LossCurve.Where(p => double.IsFinite(p.Loss)).Select(p => new { step = p.Step, loss = p.Loss }),
        s.Error,
        created_at = s.StartedAt,
        updated_at = s.UpdatedAt,
        training_examples = s.TrainingExamples,
        validation_examples = s.ValidationExamples,
        s.Device,
    };
}
