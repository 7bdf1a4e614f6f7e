//! Group commit: several writers' transactions made durable by one flush.
//!
//! A durable commit costs about one disk flush, so one application per transaction tops out near
//! the disk's flush rate. Here a writing thread (one on SQLite, a few on PostgreSQL, each with its
//! own connection) takes every job waiting, runs each in its own savepoint inside one
//! transaction, commits once, and only then tells each caller how its job went. A job that
//! fails rolls back to its savepoint and fails alone; if the commit fails, every job of the
//! batch is told so. Nothing is acknowledged before it is durable.
//!
//! No job waits for company: the thread takes what is queued when it is free, so a lone request
//! is committed at once, and under load the batches grow by themselves while a flush is running.
//!
//! Applications, the hot path, are not closures but data: the batch's applications are stored
//! together with one statement per table ([`applications::insert_batch`]), in one savepoint.
//! Should that fail, the savepoint is undone and each is stored alone in its own, so a bad
//! application still fails by itself.

use std::sync::{Arc, Mutex, PoisonError, mpsc};

use diesel::r2d2::Pool;
use diesel::{Connection, RunQueryDsl};
use tokio::sync::oneshot;

use super::applications::{self, Pending, Submitted};
use super::connection::{DbConnection, Manager};
use super::{StorageError, StorageResult};

/// At most this many jobs share one transaction, so one batch never holds the lock for long.
const MAX_BATCH: usize = 64;

trait Job: Send {
    /// Runs the job's work inside the batch's transaction (in its own savepoint).
    fn run(&mut self, conn: &mut DbConnection);
    /// Tells the caller the outcome, once the batch's commit is known.
    fn finish(self: Box<Self>, committed: Result<(), &str>);
}

struct TypedJob<T, F> {
    work: Option<F>,
    outcome: Option<StorageResult<T>>,
    reply: oneshot::Sender<StorageResult<T>>,
}

impl<T, F> Job for TypedJob<T, F>
where
    T: Send,
    F: FnOnce(&mut DbConnection) -> StorageResult<T> + Send,
{
    fn run(&mut self, conn: &mut DbConnection) {
        if let Some(work) = self.work.take() {
            // Nested in the batch's transaction, this is a savepoint: a failure undoes only it.
            self.outcome = Some(conn.transaction(work));
        }
    }

    fn finish(self: Box<Self>, committed: Result<(), &str>) {
        // The caller may have gone (a closed connection); the work stands either way.
        let _ = self.reply.send(told(committed, self.outcome));
    }
}

/// What a caller is told: its job's outcome if the batch committed, else why it did not.
fn told<T>(committed: Result<(), &str>, outcome: Option<StorageResult<T>>) -> StorageResult<T> {
    match (committed, outcome) {
        (Ok(()), Some(outcome)) => outcome,
        (Err(why), _) => Err(StorageError::Unavailable(format!(
            "the commit failed: {why}"
        ))),
        (Ok(()), None) => Err(StorageError::Unavailable("the job did not run".into())),
    }
}

/// An application to store, and where its outcome goes.
struct ApplicationJob {
    pending: Pending,
    reply: oneshot::Sender<StorageResult<Submitted>>,
}

enum Queued {
    Work(Box<dyn Job>),
    Application(Box<ApplicationJob>),
}

/// One batch: the jobs taken from the queue, sorted by kind, and the applications' outcomes.
#[derive(Default)]
struct Batch {
    work: Vec<Box<dyn Job>>,
    pending: Vec<Pending>,
    replies: Vec<oneshot::Sender<StorageResult<Submitted>>>,
    stored: Vec<StorageResult<Submitted>>,
}

impl Batch {
    fn push(&mut self, queued: Queued) {
        match queued {
            Queued::Work(job) => self.work.push(job),
            Queued::Application(job) => {
                self.pending.push(job.pending);
                self.replies.push(job.reply);
            }
        }
    }

    fn len(&self) -> usize {
        self.work.len() + self.pending.len()
    }

    /// Tells every caller the outcome, once the commit's is known.
    fn finish(self, committed: Result<(), &str>) {
        for job in self.work {
            job.finish(committed);
        }
        let mut stored = self.stored.into_iter();
        for reply in self.replies {
            let _ = reply.send(told(committed, stored.next()));
        }
    }
}

/// The handle: cheap to clone; the writing thread ends when the last handle is dropped.
#[derive(Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Queued>,
}

impl GroupCommit {
    pub fn start(pool: Pool<Manager>, writers: usize) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Queued>();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..writers.max(1) {
            let (pool, queue) = (pool.clone(), queue.clone());
            std::thread::Builder::new()
                .name("group-commit".into())
                .spawn(move || writer(&pool, &queue))?;
        }
        Ok(Self { jobs })
    }

    /// Runs `work` in the next batch and returns its outcome once the batch is durable.
    pub async fn write<T, F>(&self, work: F) -> StorageResult<T>
    where
        F: FnOnce(&mut DbConnection) -> StorageResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, outcome) = oneshot::channel();
        let job = TypedJob {
            work: Some(work),
            outcome: None,
            reply,
        };
        self.queue(Queued::Work(Box::new(job)), outcome).await
    }

    /// Stores an application in the next batch; returns once the batch is durable.
    pub async fn store_application(&self, pending: Pending) -> StorageResult<Submitted> {
        let (reply, outcome) = oneshot::channel();
        self.queue(
            Queued::Application(Box::new(ApplicationJob { pending, reply })),
            outcome,
        )
        .await
    }

    async fn queue<T>(
        &self,
        job: Queued,
        outcome: oneshot::Receiver<StorageResult<T>>,
    ) -> StorageResult<T> {
        let stopped = || StorageError::Unavailable("the database writer has stopped".into());
        self.jobs.send(job).map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}

fn writer(pool: &Pool<Manager>, queue: &Mutex<mpsc::Receiver<Queued>>) {
    loop {
        let mut batch = Batch::default();
        {
            // The lock is held only while a batch is taken: the next writer then waits for the
            // next jobs while this one writes.
            let queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
            let Ok(first) = queue.recv() else { return };
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        let committed = match pool.get() {
            Ok(mut conn) => commit(&mut conn, &mut batch),
            Err(e) => Err(e.to_string()),
        };
        if let Err(why) = &committed {
            tracing::warn!(jobs = batch.len(), error = %why, "a group commit failed; its jobs are told so");
        }
        batch.finish(committed.as_ref().map(|_| ()).map_err(String::as_str));
    }
}

fn commit(conn: &mut DbConnection, batch: &mut Batch) -> Result<(), String> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    conn.transaction(|conn| {
        if sqlite {
            // Take SQLite's write lock before any job reads, as BEGIN IMMEDIATE would: a
            // transaction that read first could not upgrade while another process writes.
            diesel::sql_query("UPDATE postings SET id = id WHERE 1 = 0").execute(conn)?;
        }
        batch.stored = store_applications(conn, &batch.pending);
        for job in &mut batch.work {
            job.run(conn);
        }
        Ok::<(), diesel::result::Error>(())
    })
    .map_err(|e| e.to_string())
}

/// All together in one savepoint; if that fails, each alone in its own.
fn store_applications(
    conn: &mut DbConnection,
    pending: &[Pending],
) -> Vec<StorageResult<Submitted>> {
    if pending.is_empty() {
        return Vec::new();
    }
    match conn.transaction(|conn| applications::insert_batch(conn, pending)) {
        Ok(stored) => stored.into_iter().map(Ok).collect(),
        Err(_) => {
            tracing::debug!(
                applications = pending.len(),
                "a batch of applications could not be stored together; storing each alone"
            );
            // Tried twice: with two writers, an identical application in another writer's
            // batch can make this one's insert fail on the fingerprint; once that batch is
            // committed, the second try finds it and answers "already received". (Two batches
            // that each hold the other's repeat deadlock; PostgreSQL undoes one, which lands
            // here too.)
            pending
                .iter()
                .map(|p| applications::insert(conn, p).or_else(|_| applications::insert(conn, p)))
                .collect()
        }
    }
}
