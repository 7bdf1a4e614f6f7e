//! Pure types and rules. Nothing here knows about HTTP, SQL or email, so every rule can be
//! tested on its own and a value that exists is a valid value ("parse, don't validate").

pub mod application;
pub mod contact;
pub mod deadline;
pub mod posting;
pub mod reference;
pub mod sentences;
pub mod slug;
pub mod stage;
pub mod user;

pub use application::{Application, ApplicationInput, FieldErrors, comment_field};
pub use contact::{EmailAddress, PersonName, PhoneNumber};
pub use posting::{
    AnswerFlag, Attestation, AttestationKind, Choice, CommentSpec, Ksa, Posting, PostingStatus,
    Question, QuestionKind, Requirement,
};
pub use reference::Reference;
pub use slug::Slug;
pub use stage::{ChecklistState, KsaStatus, MoveDetails, MoveRefused, Stage, check_move};
pub use user::{NewPassword, Role};
