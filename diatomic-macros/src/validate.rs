//! Checks the item under the attribute and settles the defaults.

use quote::format_ident;
use syn::spanned::Spanned;
use syn::{Fields, GenericParam, Ident, Item, ItemStruct, Path};

use crate::args::{Args, Producers};

/// A validated declaration: everything `expand` needs.
pub(crate) struct Channel {
    pub(crate) item: ItemStruct,
    pub(crate) sender: Ident,
    pub(crate) receiver: Ident,
    pub(crate) producers: Producers,
    pub(crate) krate: Path,
}

pub(crate) fn validate(args: Args, item: Item) -> syn::Result<Channel> {
    let item = match item {
        Item::Struct(item) => item,
        Item::Enum(e) => return Err(not_a_struct(e.enum_token, "an enum")),
        Item::Union(u) => return Err(not_a_struct(u.union_token, "a union")),
        Item::Fn(f) => return Err(not_a_struct(f.sig.fn_token, "a function")),
        other => return Err(not_a_struct(other, "this item")),
    };
    match &item.fields {
        Fields::Named(_) => {}
        Fields::Unnamed(fields) => {
            return Err(syn::Error::new(
                fields.span(),
                "`#[async_channel]` needs a struct with named fields, not a tuple struct",
            ))
        }
        Fields::Unit => {
            return Err(syn::Error::new(
                item.ident.span(),
                "`#[async_channel]` needs a struct with named fields, not a unit struct",
            ))
        }
    }
    if let Some(GenericParam::Lifetime(lt)) = item
        .generics
        .params
        .iter()
        .find(|p| matches!(p, GenericParam::Lifetime(_)))
    {
        return Err(syn::Error::new(
            lt.span(),
            "`#[async_channel]` does not support lifetime parameters: \
             the channel's halves share the core through an `Arc` and may be sent anywhere",
        ));
    }

    let sender = args
        .sender
        .unwrap_or_else(|| format_ident!("{}Sender", item.ident));
    let receiver = args
        .receiver
        .unwrap_or_else(|| format_ident!("{}Receiver", item.ident));
    if sender == receiver {
        return Err(syn::Error::new(
            receiver.span(),
            "the sender and the receiver need different names",
        ));
    }
    Ok(Channel {
        sender,
        receiver,
        producers: args.producers.unwrap_or(Producers::Many),
        krate: args
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::diatomic_channels)),
        item,
    })
}

fn not_a_struct(at: impl quote::ToTokens, what: &str) -> syn::Error {
    syn::Error::new_spanned(
        at,
        format!("`#[async_channel]` applies to a struct with named fields, not {what}"),
    )
}
