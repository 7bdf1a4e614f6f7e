//! Pure types and rules. Nothing here knows about HTTP, SQL or email, so every rule can be
//! tested on its own and a value that exists is a valid value ("parse, don't validate").

pub mod posting;
pub mod slug;

pub use posting::{
    AnswerFlag, Attestation, AttestationKind, Choice, CommentSpec, Ksa, Posting, PostingStatus,
    Question, QuestionKind, Requirement,
};
pub use slug::Slug;
