//! The one way a field's problem is shown, whether the shared rules found it before sending
//! or the server answered 422.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use motovault_shared::problem::FieldError;

/// After the errors render, moves focus (and so the scroll position) to the first invalid
/// input inside `form_selector`, so a phone user sees what to fix.
pub fn focus_first_invalid(form_selector: &'static str) {
    request_animation_frame(move || {
        let selector = format!(
            "{form_selector} .field.invalid input, {form_selector} .field.invalid select, {form_selector} .field.invalid textarea"
        );
        if let Ok(Some(element)) = document().query_selector(&selector)
            && let Ok(input) = element.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = input.focus();
        }
    });
}

fn message_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

/// `Make` + `is required` → `Make is required`; a unit in the label is dropped
/// (`Odometer (mi)` → `Odometer must be …`).
fn sentence(label: &str, message: &str) -> String {
    let label = label.split(" (").next().unwrap_or(label).trim();
    if label.is_empty() {
        let mut chars = message.chars();
        match chars.next() {
            Some(first) => std::iter::once(first.to_ascii_uppercase())
                .chain(chars)
                .collect(),
            None => String::new(),
        }
    } else {
        format!("{label} {message}")
    }
}

/// The message for `field`, if any.
#[component]
pub fn FieldErrorText(
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    field: &'static str,
    #[prop(optional, into)] label: String,
    /// The id the input's `aria-describedby` points at.
    #[prop(optional)]
    id: &'static str,
) -> impl IntoView {
    move || {
        errors.with(|list| message_for(list, field)).map(|message| {
            view! {
                <p class="field-error" id=format!("{id}-error") data-testid=format!("error-{field}")>
                    {sentence(&label, &crate::i18n::tr_dyn(&message))}
                </p>
            }
        })
    }
}

/// A labelled form field: label, the input given as children, an optional hint and the error.
/// The input should carry `id` so the label points at it.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    id: &'static str,
    field: &'static str,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional, into)] hint: String,
    #[prop(optional)] wide: bool,
    children: Children,
) -> impl IntoView {
    let invalid = move || errors.with(|list| list.iter().any(|e| e.field == field));
    view! {
        <div class="field" class:invalid=invalid class:field-wide=wide>
            <label for=id>{label.clone()}</label>
            {children()}
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <FieldErrorText errors field label id />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_sentences() {
        assert_eq!(sentence("Make", "is required"), "Make is required");
        assert_eq!(
            sentence("Odometer (mi)", "must be at most 9"),
            "Odometer must be at most 9"
        );
        assert_eq!(
            sentence("", "tags must be single words"),
            "Tags must be single words"
        );
        let errors = vec![FieldError::new(
            "odometer",
            "must be between 0 and 99999999",
        )];
        assert_eq!(
            message_for(&errors, "odometer").as_deref(),
            Some("must be between 0 and 99999999")
        );
        assert_eq!(message_for(&errors, "cost"), None);
    }
}
