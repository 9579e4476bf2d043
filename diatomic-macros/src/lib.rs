//! The `#[async_channel]` attribute. Use it through `diatomic-channels`,
//! which re-exports it and documents it; the code it writes names that crate's
//! runtime.
//!
//! The pipeline is `args` (parse the attribute's arguments) -> `validate`
//! (check the item, build a `validate::Channel`) -> `expand` (write the
//! code). Errors are `syn::Error`s at the offending tokens; on error the item
//! is emitted unchanged next to the error, so that follow-on errors stay
//! quiet.

use proc_macro::TokenStream;

mod args;
mod expand;
#[cfg(test)]
mod snapshot;
mod validate;

/// Turns a struct that implements `diatomic_channels::ChannelCore` into an
/// async channel; see `diatomic_channels::async_channel`.
#[proc_macro_attribute]
pub fn async_channel(args: TokenStream, item: TokenStream) -> TokenStream {
    let item2 = proc_macro2::TokenStream::from(item.clone());
    let result = syn::parse::<args::Args>(args)
        .and_then(|args| validate::validate(args, syn::parse(item)?))
        .map(|channel| expand::expand(&channel));
    match result {
        Ok(tokens) => tokens.into(),
        Err(err) => {
            let mut out = err.to_compile_error();
            out.extend(item2);
            out.into()
        }
    }
}
