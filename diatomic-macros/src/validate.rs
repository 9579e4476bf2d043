//! Checks the item under the attribute and settles the defaults.

use quote::format_ident;
use syn::spanned::Spanned;
use syn::{Fields, GenericParam, Ident, Item, ItemStruct, Path};

use crate::args::{Args, Count};

/// A validated declaration: everything `expand` needs.
pub(crate) struct Channel {
    pub(crate) item: ItemStruct,
    pub(crate) sender: Ident,
    pub(crate) receiver: Ident,
    pub(crate) sender_ref: Ident,
    pub(crate) receiver_ref: Ident,
    pub(crate) producers: Count,
    pub(crate) receivers: Count,
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
             the channel's halves share the core through an `Arc`, or borrow it \
             from a `Channel` (a `static`), never from the core's own borrows",
        ));
    }

    let sender = args
        .sender
        .unwrap_or_else(|| format_ident!("{}Sender", item.ident));
    let receiver = args
        .receiver
        .unwrap_or_else(|| format_ident!("{}Receiver", item.ident));
    let sender_ref = args
        .sender_ref
        .unwrap_or_else(|| format_ident!("{}Ref", sender));
    let receiver_ref = args
        .receiver_ref
        .unwrap_or_else(|| format_ident!("{}Ref", receiver));
    let names = [&sender, &receiver, &sender_ref, &receiver_ref];
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(syn::Error::new(
                name.span(),
                format!("`{name}` names two of the generated halves; each needs its own name"),
            ));
        }
    }
    Ok(Channel {
        sender,
        receiver,
        sender_ref,
        receiver_ref,
        producers: args.producers.unwrap_or(Count::Many),
        receivers: args.receivers.unwrap_or(Count::One),
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
