// Index:
//   [SECTION] cluster roles and membership
//   [SECTION] partitions and replication
//   [SECTION] logs and idempotence
//   [SECTION] broker and topic settings
//   [SECTION] producer
//   [SECTION] consumer
//   [SECTION] ZooKeeper mode
//   [SECTION] error names
//   [SECTION] lookup
#include "glossary.h"

#include <cctype>
#include <iterator>

namespace kafkasim::gui {

namespace {

const GlossaryEntry kEntries[] = {
    // [SECTION] cluster roles and membership ---------------------------------------------------
    {"node", "One Kafka process (or a ZooKeeper server, or a client) in the simulated cluster."},
    {"node status",
     "Whether the process is running, paused (a long GC pause: alive but silent), crashed "
     "(kill -9), powered off (unflushed data lost) or stopped after a controlled shutdown."},
    {"broker",
     "A Kafka server that stores partition replicas and answers producers and consumers."},
    {"controller",
     "The node that decides who leads each partition, who is in each ISR and which brokers are "
     "alive. In KRaft mode several controller nodes form a quorum and one of them is active."},
    {"combined",
     "A KRaft node with process.roles=broker,controller: it stores data and is also a "
     "controller voter. Handy for small clusters, discouraged in production."},
    {"process.roles", "What a KRaft node does: broker, controller, or both (combined mode)."},
    {"KRaft",
     "Kafka's own Raft-based consensus for cluster metadata (KIP-500), which replaced "
     "ZooKeeper. Metadata changes are records in the __cluster_metadata log."},
    {"active controller",
     "The one controller that currently makes decisions (elections, ISR changes, fencing). In "
     "KRaft it is the leader of the metadata quorum."},
    {"quorum leader",
     "The controller voter that won the latest Raft election: it appends metadata records and "
     "the other voters copy them."},
    {"quorum role",
     "Where this node stands in the metadata quorum: leader, follower, candidate (asking for "
     "votes), prospective (pre-vote), unattached (no leader known), resigned, or observer (a "
     "broker that only reads the log)."},
    {"voter",
     "A controller listed in controller.quorum.voters: it votes in elections and a majority "
     "of voters must hold a metadata record before it commits."},
    {"observer",
     "A broker's place in the metadata quorum: it fetches the metadata log but never votes."},
    {"controller.quorum.voters", "The fixed set of controller nodes that form the Raft quorum."},
    {"quorum epoch",
     "The Raft term of the metadata quorum. It goes up with every election, and a node ignores "
     "requests from a leader with an older epoch."},
    {"voted for",
     "The candidate this voter gave its single vote to in the current quorum epoch (kept on "
     "disk so it can never vote twice)."},
    {"metadata offset",
     "How far this node has applied the metadata log. A broker whose offset lags the "
     "controller's still believes older leaders and ISRs."},
    {"metadata high watermark",
     "The end of the committed part of the metadata log: records below it are held by a "
     "majority of voters and can be applied."},
    {"metadata log end offset", "The next offset this node will write in its metadata log."},
    {"voter end offsets",
     "The quorum leader's view of how far each voter has copied the metadata log."},
    {"broker epoch",
     "A number the cluster gives a broker each time it registers (KRaft: the offset of its "
     "registration record; ZooKeeper: the czxid of its znode). Requests with an older broker "
     "epoch come from a previous incarnation and are rejected."},
    {"fenced",
     "A fenced broker is registered but not allowed to lead partitions or be in an ISR, "
     "usually because it missed heartbeats or has not caught up with the metadata yet."},
    {"registered",
     "The controller knows this broker: it has sent a registration and got an epoch."},
    {"lifecycle state",
     "A KRaft broker's membership: starting, registering with the controller, fenced until its "
     "metadata catches up, running, in controlled shutdown, shut down."},
    {"controlled shutdown",
     "A clean stop: the broker first asks the controller to move its leaderships away so "
     "clients see no unavailability, then exits."},
    {"last heartbeat",
     "When the active controller last heard from this broker. After broker.session.timeout.ms "
     "of silence the broker is fenced."},
    {"rack",
     "broker.rack: where the broker lives (a rack or availability zone); replica placement "
     "spreads each partition's replicas across racks."},
    {"known controller", "The node this broker currently believes is the active controller."},

    // [SECTION] partitions and replication -----------------------------------------------------
    {"partition",
     "An ordered, append-only log; a topic is split into partitions (named TOPIC-N) so it can "
     "spread over brokers. Order is guaranteed only within one partition."},
    {"offset",
     "A record's place in its partition: 0, 1, 2... The leader gives it when it appends the "
     "record, and every replica keeps the record at that offset. A producer learns it from "
     "the produce response (the ack)."},
    {"replicas",
     "The brokers that hold a copy of the partition, in assignment order. The first one is the "
     "preferred leader."},
    {"replication factor", "How many copies (replicas) each partition of a topic has."},
    {"preferred leader",
     "The first replica in the assignment. Kafka moves leadership back to it when it can, to "
     "spread leaders evenly."},
    {"leader",
     "The replica that takes all writes and serves reads for a partition; the others copy it. "
     "-1 means no leader: the partition is offline."},
    {"follower",
     "A replica that copies the leader by sending it fetch requests, just like a consumer does."},
    {"role",
     "What this broker does for the partition: leader (takes writes), follower (copies the "
     "leader), or none (hosts the log but has not been told its part)."},
    {"offline", "The partition has no leader: nobody can write to it or read from it."},
    {"ISR",
     "In-sync replicas: the leader plus the followers that are caught up. Only they may become "
     "leader without losing committed records, and acks=all waits for all of them."},
    {"pending ISR",
     "An ISR change the leader has asked the controller for (AlterPartition) that is not yet "
     "confirmed. Meanwhile the leader counts the larger of the two sets (KIP-497)."},
    {"under-replicated", "Fewer replicas are in the ISR than the partition has."},
    {"leader epoch",
     "A counter that goes up every time the partition gets a new leader. Every record is stamped "
     "with it, so replicas can tell which history is the current one and fence an old leader."},
    {"partition epoch",
     "A counter that goes up on any change to the partition's record (leader, ISR, replicas). "
     "AlterPartition requests with a stale partition epoch are refused."},
    {"leader recovery state",
     "RECOVERING after an unclean election (the new leader may lack committed data) until it "
     "settles, then RECOVERED."},
    {"adding replicas",
     "A reassignment is in progress: these replicas are being added and are catching up."},
    {"removing replicas",
     "A reassignment is in progress: these replicas will be dropped once the new ones are in "
     "sync."},
    {"last caught up",
     "When this follower last had everything the leader had. If that is longer ago than "
     "replica.lag.time.max.ms, the leader removes it from the ISR."},
    {"follower LEO",
     "The leader's view of how far this follower has copied the log (its log end offset, learned "
     "from the follower's fetch offset)."},
    {"fetching", "This follower is in a fetch session with the leader, copying new records."},
    {"view of",
     "What one broker believes about this partition from its own metadata, which may lag the "
     "controller's."},

    // [SECTION] logs and idempotence -----------------------------------------------------------
    {"log end offset",
     "LEO: the offset the next record written to this replica will get, i.e. one past its last "
     "record."},
    {"LEO", "Log end offset: one past the last record in this replica's log."},
    {"high watermark",
     "HW: records below it are on every ISR replica, are committed, and are visible to "
     "consumers. The leader advances it as followers catch up."},
    {"HW", "High watermark: consumers can read only below it; records under it are committed."},
    {"log start offset",
     "The first offset still in the log. Retention (or compaction) removes older segments and "
     "moves it forward."},
    {"checkpointed HW",
     "The high watermark as last written to disk (replication-offset-checkpoint). After a "
     "restart the replica starts from this value."},
    {"leader epoch cache",
     "Pairs of (leader epoch, first offset written in that epoch). A follower uses them to find "
     "where its log diverged from the new leader's and truncate there (KIP-101, KIP-279)."},
    {"epoch start offset", "The leader's log end offset at the moment it became leader."},
    {"segment",
     "A partition log is stored as a series of files called segments. New records go to the "
     "newest (active) one; retention deletes whole old segments."},
    {"base offset",
     "The offset of the first record in a segment; the segment file is named after it."},
    {"records", "Records currently held in this replica's log."},
    {"size", "Bytes currently held in this replica's log."},
    {"producer state",
     "For each idempotent producer, the partition remembers its epoch and the sequence numbers of "
     "its last five batches, so a retried batch is recognised and not written twice."},
    {"producer id",
     "A number a broker hands to an idempotent producer (InitProducerId). Together with "
     "sequence numbers it lets brokers drop duplicate retries."},
    {"producer epoch",
     "Goes up when a producer id is reused after a reset; batches from an older epoch are "
     "fenced with INVALID_PRODUCER_EPOCH."},
    {"sequence number",
     "Each idempotent batch carries the sequence of its first record, per partition. A broker "
     "accepts only the next expected sequence, so a retried batch is detected as a duplicate."},
    {"next sequence",
     "The sequence number this producer will give its next new batch for the partition."},

    // [SECTION] broker and topic settings ------------------------------------------------------
    {"min.insync.replicas",
     "With acks=all, a write fails with NOT_ENOUGH_REPLICAS when the ISR is smaller than this. "
     "It is the floor on how many copies a committed record has."},
    {"offsets.topic.num.partitions",
     "How many partitions __consumer_offsets has. A group's coordinator is the leader of "
     "partition abs(hash(group.id)) % this number."},
    {"offsets.topic.replication.factor",
     "Replication factor of __consumer_offsets: committed offsets survive this many minus one "
     "broker failures."},
    {"offsets.commit.timeout.ms",
     "How long the coordinator waits for every in-sync replica of __consumer_offsets to have a "
     "commit before it answers with an error."},
    {"group.initial.rebalance.delay.ms",
     "An empty group waits this long for more members before its first rebalance (again for "
     "each member that arrives, up to the rebalance timeout)."},
    {"group.min.session.timeout.ms",
     "The shortest session.timeout.ms the broker lets a consumer use."},
    {"group.max.session.timeout.ms",
     "The longest session.timeout.ms the broker lets a consumer use."},
    {"unclean.leader.election.enable",
     "If true, a replica outside the ISR may become leader when no ISR member is alive. The "
     "partition comes back sooner, but committed records can be lost."},
    {"replica.lag.time.max.ms",
     "A follower that has not caught up with the leader for this long is removed from the ISR."},
    {"retention.ms",
     "How long records are kept. Segments whose newest record is older are deleted (-1: keep "
     "forever)."},
    {"retention.bytes",
     "The most bytes a partition log may keep; older segments are deleted beyond it (-1: no "
     "limit)."},
    {"segment.bytes", "The size at which the active segment is closed and a new one started."},
    {"segment.ms",
     "The age at which the active segment is closed and a new one started, even if small."},
    {"cleanup.policy",
     "What happens to old records: delete (drop old segments by time or size), compact (keep the "
     "newest record per key), or both."},
    {"min.cleanable.dirty.ratio",
     "Compaction starts once this share of the log has not been compacted yet."},
    {"min.compaction.lag.ms",
     "A record stays uncompacted at least this long after it was written."},
    {"delete.retention.ms",
     "How long a tombstone (a record with a null value) survives compaction, so consumers can "
     "see the delete."},
    {"flush.messages",
     "Force an fsync after this many records. By default Kafka leaves flushing to the OS and "
     "relies on replication for durability."},
    {"flush.ms", "Force an fsync when unflushed data is this old."},
    {"sim.os.dirty.expire.ms",
     "Simulator setting: when the operating system writes dirty page-cache data to disk by "
     "itself (Linux dirty_expire_centisecs)."},
    {"controller.quorum.election.timeout.ms",
     "A voter that hears from no leader waits a random time between this and twice this, then "
     "starts an election."},
    {"controller.quorum.fetch.timeout.ms",
     "A voter that has not fetched successfully from the leader for this long starts an "
     "election."},
    {"controller.quorum.election.backoff.max.ms",
     "The longest wait before a voter retries an election that did not win."},
    {"controller.quorum.request.timeout.ms",
     "How long a metadata quorum request waits for its answer."},
    {"controller.quorum.retry.backoff.ms",
     "The pause before a failed metadata quorum request is retried."},
    {"metadata.max.idle.interval.ms",
     "The active controller writes a no-op record at least this often, so followers see "
     "progress and know the leader is alive."},
    {"broker.heartbeat.interval.ms",
     "How often a KRaft broker tells the active controller it is alive."},
    {"broker.session.timeout.ms",
     "If the active controller hears no heartbeat from a broker for this long, it fences the "
     "broker and moves its leaderships."},
    {"unclean.leader.election.interval.ms",
     "How often a KRaft controller retries unclean elections for leaderless partitions."},
    {"auto.leader.rebalance.enable",
     "If true, the controller periodically moves leadership back to preferred leaders."},
    {"leader.imbalance.check.interval.seconds",
     "How often the controller looks for partitions not led by their preferred leader."},
    {"default.replication.factor", "The replication factor of topics created without one."},
    {"num.partitions", "The partition count of topics created without one."},
    {"replica.fetch.wait.max.ms",
     "How long a leader holds a follower's fetch when there is nothing new to send."},
    {"replica.fetch.min.bytes",
     "How many bytes a follower's fetch waits for before it is answered."},
    {"replica.fetch.max.bytes", "The most bytes a follower fetches per partition in one request."},
    {"replica.high.watermark.checkpoint.interval.ms",
     "How often each broker writes its high watermarks to disk."},
    {"log.retention.check.interval.ms", "How often the broker looks for segments to delete."},
    {"log.cleaner.backoff.ms", "How often the log cleaner looks for logs to compact."},
    {"inter.broker.protocol.version",
     "ZooKeeper mode: the protocol brokers speak to each other. Below 0.11, followers truncate "
     "to their high watermark when they follow a new leader (before KIP-101), which can lose "
     "data."},
    {"dynamic configs",
     "Settings changed at runtime with kafka-configs. They override server.properties and apply "
     "without a restart."},
    {"topic configs",
     "Settings that apply to one topic's partitions. They override the broker-wide defaults."},

    // [SECTION] producer -----------------------------------------------------------------------
    {"producer", "A client that writes records to a topic's partition leaders."},
    {"client.id", "A name the client sends with every request, shown in broker logs and metrics."},
    {"bootstrap.servers",
     "Brokers a client contacts first to learn the cluster's metadata (who leads what)."},
    {"acks",
     "How many replicas must have a record before the leader answers: 0 (no answer), 1 (the "
     "leader alone) or all (every ISR member, at least min.insync.replicas)."},
    {"linger.ms",
     "How long the producer waits for more records to fill a batch before sending it. A little "
     "waiting makes bigger, cheaper batches."},
    {"batch.size",
     "The most bytes the producer collects for one partition into a single batch; a full batch "
     "is sent without waiting for linger.ms."},
    {"enable.idempotence",
     "The producer gets a producer id and numbers its batches, so the broker can throw away a "
     "retried batch it already wrote: no duplicates, order kept."},
    {"max.in.flight.requests.per.connection",
     "How many produce requests may wait for an answer from one broker at once. More means "
     "more throughput; without idempotence, retries can then reorder records."},
    {"retries",
     "How many times a failed batch may be resent (bounded anyway by delivery.timeout.ms)."},
    {"retry.backoff.ms",
     "The pause before a failed request is retried; it doubles on each attempt up to "
     "retry.backoff.max.ms."},
    {"retry.backoff.max.ms", "The longest pause between two retries."},
    {"retries/backoff",
     "A failed batch is resent after retry.backoff.ms, doubling each time up to "
     "retry.backoff.max.ms, as long as retries and delivery.timeout.ms allow."},
    {"request.timeout.ms",
     "How long a client waits for a response before it gives up on that request (and retries "
     "if it still may)."},
    {"delivery.timeout.ms",
     "The total time a record may take from send() to success, retries included; after it the "
     "record fails."},
    {"buffer.memory", "The most bytes the producer may hold in memory waiting to be sent."},
    {"metadata.max.age.ms",
     "The client refreshes its metadata at least this often, even when nothing went wrong."},
    {"partitioner.ignore.keys",
     "If true, keyed records are spread like unkeyed ones instead of by the hash of the key."},
    {"partitioner.adaptive.partitioning.enable",
     "Unkeyed records go less often to partitions whose brokers are slow to accept batches."},
    {"rate", "Records per second this simulated producer tries to send."},
    {"in-flight requests",
     "Requests sent and not yet answered. When a broker dies they wait for request.timeout.ms "
     "or a disconnect before being retried."},
    {"accumulator",
     "Batches waiting in the producer's memory: still filling up (linger.ms), or back after a "
     "failure waiting to be retried."},
    {"acked", "Records the producer got a successful answer for (with their offset)."},
    {"failed", "Records the producer gave up on; the application saw an error for each."},
    {"pending", "Records made but not yet acknowledged or failed."},
    {"errors", "Error answers this client received, counted by Kafka's error name."},
    {"leaders known", "The leader of each partition as this client's metadata says."},
    {"metadata request", "The client is asking a broker who leads which partition."},

    // [SECTION] consumer -----------------------------------------------------------------------
    {"consumer", "A client that reads records from partitions by fetching from their leaders."},
    {"auto.offset.reset",
     "Where to start when there is no position yet: earliest (the log start offset), latest "
     "(the high watermark: only new records) or none (fail)."},
    {"position",
     "The offset of the next record the consumer will read from the partition. -1 while it is "
     "still being looked up."},
    {"fetch.min.bytes",
     "The broker holds a fetch until at least this many bytes are ready (or fetch.max.wait.ms "
     "passes)."},
    {"fetch.max.wait.ms",
     "The longest a broker holds a consumer's fetch when fewer than fetch.min.bytes are ready."},
    {"max.partition.fetch.bytes",
     "The most bytes one fetch returns for one partition (a larger first batch still comes whole, "
     "KIP-74)."},
    {"fetch.max.bytes",
     "The most bytes one fetch response may carry in total; its first batch comes whole even "
     "when larger, so a consumer always moves on (KIP-74)."},
    {"consumed", "Records this consumer has handed to the application."},
    {"lag",
     "How far the consumer is behind: the partition's high watermark minus the consumer's "
     "position."},
    {"order violations",
     "Records of one producer and key that arrived after a later record of the same producer "
     "and key: the order was broken. Records of one key from two producers have no order."},
    {"listing offsets", "A ListOffsets request is out to find where to start (auto.offset.reset)."},
    {"fetches in flight", "Fetch requests sent to brokers and not yet answered."},
    {"delayed produce",
     "acks=all produce requests parked on the leader until the ISR has the records "
     "(purgatory), or until request.timeout.ms."},
    {"delayed fetch",
     "Fetches parked on the broker (long poll) until there is enough data or the wait runs out."},
    {"follower fetches in flight",
     "This broker, as a follower, has a fetch outstanding to these leaders."},

    // [SECTION] consumer groups ----------------------------------------------------------------
    {"generation",
     "The number of the group's current membership: the coordinator adds one at every "
     "rebalance. A request from an older generation is refused (ILLEGAL_GENERATION)."},
    {"coordinator",
     "The broker leading the group's partition of __consumer_offsets. It runs the group's "
     "joins, syncs and heartbeats and stores its committed offsets."},
    {"member id",
     "The id the coordinator gives a consumer when it first joins (its client.id and a unique "
     "suffix); the consumer sends it with every group request."},
    {"group.instance.id",
     "Static membership (KIP-345): a member with this id keeps its place and its partitions "
     "across a restart, as long as it returns within session.timeout.ms."},
    {"rebalance",
     "The group agrees on a new assignment: every member joins (JoinGroup), the leader assigns "
     "the partitions, the coordinator hands each member its share (SyncGroup)."},
    {"committed offset",
     "The offset a group has saved for a partition (OffsetCommit): where a new owner of the "
     "partition starts reading."},
    {"Empty", "A group with no members (its committed offsets are kept)."},
    {"PreparingRebalance",
     "The coordinator waits for every member to rejoin (JoinGroup) before it assigns anew."},
    {"CompletingRebalance",
     "Everyone has joined; the coordinator waits for the leader's assignment (SyncGroup)."},
    {"Stable", "Every member has its assignment and heartbeats: the group consumes."},
    {"Dead", "The group is being removed: it has no members and no committed offsets left."},
    {"partition.assignment.strategy",
     "How the group leader divides the partitions: range, roundrobin and sticky are eager "
     "(everyone gives up everything at each rebalance); cooperative-sticky moves only what "
     "changes owner, in a second round."},
    {"session.timeout.ms",
     "A member the coordinator has not heard a heartbeat from for this long is removed from the "
     "group, and its partitions go to others."},
    {"heartbeat.interval.ms",
     "How often a member heartbeats to the coordinator; a heartbeat's answer is also how it "
     "learns that a rebalance has begun."},
    {"max.poll.interval.ms",
     "The longest the application may take between two poll() calls; past it the member leaves "
     "the group (a static member just stops heartbeating)."},

    // [SECTION] ZooKeeper mode -----------------------------------------------------------------
    {"ZooKeeper mode",
     "Kafka before KRaft: metadata lives in a ZooKeeper ensemble and one broker, elected through "
     "an ephemeral znode, acts as controller."},
    {"ZooKeeper", "A small replicated store of znodes that older Kafka used for its metadata."},
    {"ZooKeeper leader",
     "The ensemble server that orders every write; a write commits once a majority has it."},
    {"ensemble", "The set of ZooKeeper servers. It works while a majority of them is up."},
    {"znode", "A node in ZooKeeper's tree (like /brokers/ids/101), holding a little data."},
    {"session",
     "A broker's connection identity with ZooKeeper. If it is not renewed within the session "
     "timeout it expires and the broker's ephemeral znodes vanish."},
    {"zookeeper.session.timeout.ms",
     "How long ZooKeeper keeps a silent client's session before expiring it."},
    {"ZooKeeper server", "The ensemble server this broker's session is connected to."},
    {"controller epoch",
     "ZooKeeper mode: goes up each time a new controller is elected. Brokers refuse requests "
     "from a controller with an older epoch (STALE_CONTROLLER_EPOCH)."},
    {"controller state",
     "A ZooKeeper-mode controller bumps the controller epoch, loads state from ZooKeeper, then "
     "is active until it resigns."},
    {"serving", "This ZooKeeper server answers clients (it is the leader or a synced follower)."},
    {"zxid", "ZooKeeper's transaction id: every write gets the next one, in order."},
    {"ZooKeeper epoch",
     "The ensemble's election counter: it goes up each time a new ZooKeeper leader takes over, "
     "and servers ignore a leader from an older epoch."},
    {"transaction log end",
     "How many writes (transactions) this server holds in its log, committed or not; the next "
     "write gets this position."},
    {"committed transactions",
     "Writes a majority of the ensemble holds. Only these are applied to the znode tree and "
     "seen by clients."},
    {"znodes", "How many znodes this server's copy of the tree holds."},
    {"sessions", "Client sessions this ZooKeeper server knows to be alive."},
    {"connections", "Clients connected to this ZooKeeper server, with their session ids."},

    // [SECTION] error names --------------------------------------------------------------------
    {"NONE", "No error: the request succeeded."},
    {"UNKNOWN_SERVER_ERROR", "The broker hit an unexpected problem it could not name."},
    {"OFFSET_OUT_OF_RANGE",
     "The requested offset is not in the log (deleted by retention or not written yet); the "
     "consumer resets using auto.offset.reset."},
    {"UNKNOWN_TOPIC_OR_PARTITION",
     "This broker does not host that partition (or it does not exist)."},
    {"LEADER_NOT_AVAILABLE",
     "The partition has no leader right now, typically during an election. Retriable."},
    {"NOT_LEADER_OR_FOLLOWER",
     "The request went to a broker that is not the partition's leader (anymore). The client "
     "refreshes its metadata and retries with the new leader."},
    {"REQUEST_TIMED_OUT",
     "No answer in time: the broker is gone or slow, or an acks=all write waited longer than "
     "the timeout for the ISR. The write may still have happened."},
    {"BROKER_NOT_AVAILABLE", "The broker is not available."},
    {"STALE_CONTROLLER_EPOCH",
     "A request came from a controller with an older epoch than one already seen: a deposed "
     "controller is fenced."},
    {"NETWORK_EXCEPTION",
     "The connection broke before the answer came. The client retries; the request may or may "
     "not have been applied."},
    {"COORDINATOR_LOAD_IN_PROGRESS", "The group coordinator is still loading its state."},
    {"COORDINATOR_NOT_AVAILABLE", "The group coordinator is not available."},
    {"NOT_COORDINATOR", "This broker is not the coordinator for the group."},
    {"NOT_ENOUGH_REPLICAS",
     "An acks=all write was refused before it was written: the ISR is smaller than "
     "min.insync.replicas. Retriable once followers catch up."},
    {"NOT_ENOUGH_REPLICAS_AFTER_APPEND",
     "The leader wrote the records, but the ISR shrank below min.insync.replicas before they "
     "were replicated; a retry may create a duplicate without idempotence."},
    {"ILLEGAL_GENERATION", "A group member used an old generation of the group."},
    {"INCONSISTENT_GROUP_PROTOCOL",
     "The member's assignors share none with the rest of its group: it cannot join."},
    {"INVALID_SESSION_TIMEOUT",
     "The consumer's session.timeout.ms is outside group.min.session.timeout.ms and "
     "group.max.session.timeout.ms of the broker."},
    {"UNKNOWN_MEMBER_ID", "The group coordinator does not know this member."},
    {"REBALANCE_IN_PROGRESS", "The consumer group is rebalancing."},
    {"TOPIC_ALREADY_EXISTS", "A topic with that name exists already."},
    {"INVALID_PARTITIONS", "The partition count asked for is not allowed (it can only grow)."},
    {"INVALID_REPLICATION_FACTOR",
     "The replication factor is bigger than the number of brokers, or invalid."},
    {"INVALID_REPLICA_ASSIGNMENT", "The replica assignment given is not valid."},
    {"INVALID_CONFIG", "A setting or its value was refused."},
    {"NOT_CONTROLLER", "The request went to a node that is not the active controller."},
    {"INVALID_REQUEST", "The request is malformed or not allowed here."},
    {"OUT_OF_ORDER_SEQUENCE_NUMBER",
     "An idempotent batch skipped ahead of the sequence the broker expected: an earlier batch "
     "is missing."},
    {"DUPLICATE_SEQUENCE_NUMBER", "The broker has already written a batch with this sequence."},
    {"INVALID_PRODUCER_EPOCH",
     "The batch carries an older producer epoch than the partition has seen: the producer was "
     "fenced."},
    {"UNKNOWN_PRODUCER_ID",
     "The partition has no state for this producer id (for example it was removed by "
     "retention)."},
    {"FENCED_LEADER_EPOCH",
     "The request carried an older leader epoch than the broker has: the sender's metadata is "
     "stale."},
    {"UNKNOWN_LEADER_EPOCH",
     "The request carried a newer leader epoch than the broker knows: the broker's metadata "
     "is behind."},
    {"STALE_BROKER_EPOCH", "The request came from an older incarnation of the broker."},
    {"MEMBER_ID_REQUIRED", "The group member must rejoin with the member id it was given."},
    {"PREFERRED_LEADER_NOT_AVAILABLE",
     "A preferred leader election could not run: the preferred replica is not alive or not in "
     "the ISR."},
    {"FENCED_INSTANCE_ID", "Another consumer took over this static group instance id."},
    {"ELIGIBLE_LEADERS_NOT_AVAILABLE", "No replica may become leader right now."},
    {"ELECTION_NOT_NEEDED", "The partition is already led by the replica asked for."},
    {"INCONSISTENT_VOTER_SET",
     "The request came from a node that is not in this quorum's voter set."},
    {"INVALID_UPDATE_VERSION",
     "An AlterPartition carried a stale partition epoch; the leader must learn the latest state "
     "first."},
    {"DUPLICATE_BROKER_REGISTRATION",
     "Another live incarnation of this broker id is already registered."},
    {"BROKER_ID_NOT_REGISTERED", "The controller does not know this broker id."},
    {"INELIGIBLE_REPLICA", "The ISR change would add a replica that is fenced or shutting down."},
    {"NEW_LEADER_ELECTED", "The partition got a new leader while the request was being handled."},
};

bool same_term(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

// [SECTION] lookup ---------------------------------------------------------------------------
const char* explain(std::string_view term) {
  for (const GlossaryEntry& e : kEntries) {
    if (same_term(e.term, term)) return e.text;
  }
  return nullptr;
}

const GlossaryEntry* glossary_begin() {
  return std::begin(kEntries);
}
const GlossaryEntry* glossary_end() {
  return std::end(kEntries);
}

}  // namespace kafkasim::gui
