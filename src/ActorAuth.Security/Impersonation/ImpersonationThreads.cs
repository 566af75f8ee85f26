using System.Collections.Concurrent;

namespace ActorAuth.Security.Impersonation;

/// <summary>
/// Dedicated threads that run impersonated work, each item start to end on one thread, synchronously. Linux
/// credentials and Windows impersonation tokens are per thread, and async code hops threads at every await: a
/// thread-pool thread left with a client's identity would hand it to whatever ran there next. Here the identity
/// is taken on, the work runs, the identity is dropped and checked dropped, and only then is the caller's task
/// completed (its continuation runs elsewhere). A thread that cannot confirm it is itself again retires — its
/// credentials end with it — and a fresh one takes its place. A full queue refuses at once rather than queueing
/// without bound.
/// </summary>
internal sealed class ImpersonationThreads : IDisposable
{
    private readonly BlockingCollection<WorkItem> _queue;
    private readonly string _name;
    private int _started;
    private int _retired;

    /// <param name="threads">How many dedicated threads (each runs one item at a time).</param>
    /// <param name="queueLimit">Items waiting beyond those running, past which <see cref="Run{T}"/> refuses.</param>
    /// <param name="name">The threads' name, for debuggers and /proc.</param>
    public ImpersonationThreads(int threads, int queueLimit, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueLimit, 1);
        _queue = new BlockingCollection<WorkItem>(queueLimit);
        _name = name;
        for (int i = 0; i < threads; i++)
        {
            StartThread();
        }
    }

    /// <summary>Threads that retired because they could not confirm they had dropped a client's identity.</summary>
    public int Retired => Volatile.Read(ref _retired);

    /// <summary>
    /// Runs <paramref name="work"/> on a dedicated thread between <paramref name="enter"/> and <paramref name="leave"/>.
    /// <paramref name="leave"/> runs whether <paramref name="work"/> returned or threw, and must throw if the thread
    /// is not itself again; <paramref name="enter"/> must leave the thread itself when it throws.
    /// </summary>
    /// <exception cref="ImpersonationException">The queue is full, or the threads are stopping.</exception>
    public Task<T> Run<T>(Action enter, Func<T> work, Action leave)
    {
        var item = new WorkItem<T>(enter, work, leave);
        bool added;
        try
        {
            added = _queue.TryAdd(item);
        }
        catch (InvalidOperationException)
        {
            added = false; // CompleteAdding: stopping
        }

        return added ? item.Completion.Task
            : throw new ImpersonationException($"the {_queue.BoundedCapacity} queued impersonated operations are the limit; try again", isDenial: false);
    }

    public void Dispose() => _queue.CompleteAdding();

    private void StartThread()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = $"{_name}-{Interlocked.Increment(ref _started)}" };
        thread.Start();
    }

    private void Loop()
    {
        foreach (WorkItem item in _queue.GetConsumingEnumerable())
        {
            if (!item.Execute())
            {
                Interlocked.Increment(ref _retired);
                if (!_queue.IsAddingCompleted)
                {
                    StartThread();
                }

                return; // this thread's credentials die with it
            }
        }
    }

    private abstract class WorkItem
    {
        /// <summary>Runs the item; false when the thread could not drop the identity and must retire.</summary>
        public abstract bool Execute();
    }

    private sealed class WorkItem<T>(Action enter, Func<T> work, Action leave) : WorkItem
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool Execute()
        {
            try
            {
                enter();
            }
            catch (Exception e)
            {
                Completion.SetException(e);
                return true; // enter reverted itself
            }

            T result = default!;
            Exception? failure = null;
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }

            try
            {
                leave();
            }
            catch (Exception e)
            {
                Completion.SetException(new ImpersonationException($"the impersonating thread could not return to the server's identity and was retired: {e.Message}", isDenial: false, e));
                return false;
            }

            if (failure is null)
            {
                Completion.SetResult(result);
            }
            else
            {
                Completion.SetException(failure);
            }

            return true;
        }
    }
}
