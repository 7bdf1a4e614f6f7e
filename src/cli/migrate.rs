use super::{Failure, GlobalArgs, settings};
use crate::startup;

/// `peerhire migrate`: apply pending migrations and say how many ran.
pub fn run(global: &GlobalArgs) -> Result<(), Failure> {
    let settings = settings(global.raw_settings())?;
    let database = settings.database.to_string();
    actix_web::rt::System::new().block_on(async move {
        let db = startup::connect(&settings)
            .await
            .map_err(Failure::runtime)?;
        let applied = db.migrate().await.map_err(Failure::runtime)?;
        println!("{database}: {applied} migration(s) applied; the schema is up to date.");
        Ok(())
    })
}
