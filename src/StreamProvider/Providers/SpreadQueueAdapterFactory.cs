using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Streams;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>Makes the provider's adapter, cache, queue mapper and failure handler, on silos and clients.</summary>
internal sealed class SpreadQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly SpreadStreamQueues? _queues;
    private readonly IGrainFactory? _grains;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IStreamQueueMapper _mapper;
    private readonly IQueueAdapterCache _cache;

    private SpreadQueueAdapterFactory(string name, SpreadStreamOptions options, SpreadStreamQueues? queues, IGrainFactory? grains, ILoggerFactory loggerFactory)
    {
        _name = name;
        _queues = queues;
        _grains = grains;
        _loggerFactory = loggerFactory;
        _mapper = queues?.Mapper ?? new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, name);
        _cache = new SpreadQueueAdapterCache(options.CacheSize, options.DeliveryBatchSize, queues);
    }

    /// <summary>The factory of provider <paramref name="name"/>: silo mode where the provider's ring queues are registered, client mode elsewhere.</summary>
    public static SpreadQueueAdapterFactory Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<SpreadStreamOptions>>().Get(name),
        services.GetKeyedService<SpreadStreamQueues>(name),
        services.GetService<IGrainFactory>(),
        services.GetRequiredService<ILoggerFactory>());

    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new SpreadQueueAdapter(_name, _queues, _grains, _loggerFactory));

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler(false));
}
