using ActorAuth.Actors;

namespace ActorAuth.Actors.Tests;

public sealed class OrderingSpec : TestKit.TestKit
{
    [Fact]
    public void A_thousand_messages_from_one_sender_arrive_in_order()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());

        for (var i = 0; i < 1000; i++)
        {
            echo.Tell(i, TestActor);
        }

        for (var i = 0; i < 1000; i++)
        {
            ExpectMsg(i);
        }
    }

    [Fact]
    public void Concurrent_senders_each_keep_their_own_order()
    {
        const int Senders = 4;
        const int PerSender = 1000;
        var checker = Sys.ActorOf(Props.Create(() => new PerSenderOrderChecker(TestActor, Senders * PerSender)));

        Parallel.For(0, Senders, sender =>
        {
            for (var seq = 0; seq < PerSender; seq++)
            {
                checker.Tell((sender, seq));
            }
        });

        ExpectMsg("in order");
    }

    [Fact]
    public void An_actor_processes_one_message_at_a_time()
    {
        var checker = Sys.ActorOf(Props.Create(() => new OverlapChecker(TestActor, 8 * 500)));

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 500; i++)
            {
                checker.Tell("work");
            }
        });

        ExpectMsg("no overlap");
    }

    private sealed class PerSenderOrderChecker : ReceiveActor
    {
        public PerSenderOrderChecker(IActorRef reporter, int expected)
        {
            var next = new Dictionary<int, int>();
            var received = 0;
            var ordered = true;
            Receive<(int Sender, int Seq)>(m =>
            {
                ordered &= next.GetValueOrDefault(m.Sender) == m.Seq;
                next[m.Sender] = m.Seq + 1;
                if (++received == expected)
                {
                    reporter.Tell(ordered ? "in order" : "out of order");
                }
            });
        }
    }

    private sealed class OverlapChecker : ReceiveActor
    {
        private int _inside;

        public OverlapChecker(IActorRef reporter, int expected)
        {
            var received = 0;
            var overlapped = false;
            Receive<string>(_ =>
            {
                overlapped |= Interlocked.Increment(ref _inside) != 1;
                Thread.SpinWait(20);
                Interlocked.Decrement(ref _inside);
                if (++received == expected)
                {
                    reporter.Tell(overlapped ? "overlap" : "no overlap");
                }
            });
        }
    }
}
