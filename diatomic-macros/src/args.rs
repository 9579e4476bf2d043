//! Parsing of `#[async_channel(...)]`'s arguments:
//! `sender = Ident`, `receiver = Ident`, `sender_ref = Ident`,
//! `receiver_ref = Ident`, `producers = one | many`,
//! `receivers = one | many`, `crate = path`, each at most once,
//! comma-separated, in any order.

use syn::parse::{Parse, ParseStream};
use syn::{Ident, Path, Token};

/// How many senders (`producers`) or receivers (`receivers`) the channel
/// has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Count {
    One,
    Many,
}

/// The arguments as written; absent ones are `None`.
#[derive(Default)]
pub(crate) struct Args {
    pub(crate) sender: Option<Ident>,
    pub(crate) receiver: Option<Ident>,
    pub(crate) sender_ref: Option<Ident>,
    pub(crate) receiver_ref: Option<Ident>,
    pub(crate) producers: Option<Count>,
    pub(crate) receivers: Option<Count>,
    pub(crate) krate: Option<Path>,
}

const EXPECTED: &str = "expected one of `sender`, `receiver`, `sender_ref`, `receiver_ref`, \
                        `producers`, `receivers`, `crate`";

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = Args::default();
        while !input.is_empty() {
            if input.peek(Token![crate]) {
                let key: Token![crate] = input.parse()?;
                input.parse::<Token![=]>()?;
                let path = Path::parse_mod_style(input)?;
                set(&mut args.krate, path, key, "crate")?;
            } else {
                let key: Ident = input
                    .parse()
                    .map_err(|e| syn::Error::new(e.span(), EXPECTED))?;
                input.parse::<Token![=]>()?;
                match key.to_string().as_str() {
                    "sender" => {
                        let value = parse_ident(input, "the sender type's name")?;
                        set(&mut args.sender, value, &key, "sender")?;
                    }
                    "receiver" => {
                        let value = parse_ident(input, "the receiver type's name")?;
                        set(&mut args.receiver, value, &key, "receiver")?;
                    }
                    "sender_ref" => {
                        let value = parse_ident(input, "the borrowed sender type's name")?;
                        set(&mut args.sender_ref, value, &key, "sender_ref")?;
                    }
                    "receiver_ref" => {
                        let value = parse_ident(input, "the borrowed receiver type's name")?;
                        set(&mut args.receiver_ref, value, &key, "receiver_ref")?;
                    }
                    "producers" => {
                        let producers = parse_count(input)?;
                        set(&mut args.producers, producers, &key, "producers")?;
                    }
                    "receivers" => {
                        let receivers = parse_count(input)?;
                        set(&mut args.receivers, receivers, &key, "receivers")?;
                    }
                    other => {
                        return Err(syn::Error::new(
                            key.span(),
                            format!("unknown argument `{other}`; {EXPECTED}"),
                        ))
                    }
                }
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(args)
    }
}

fn parse_count(input: ParseStream<'_>) -> syn::Result<Count> {
    let value: Ident = parse_ident(input, "`one` or `many`")?;
    match value.to_string().as_str() {
        "one" => Ok(Count::One),
        "many" => Ok(Count::Many),
        _ => Err(syn::Error::new(value.span(), "expected `one` or `many`")),
    }
}

fn parse_ident(input: ParseStream<'_>, what: &str) -> syn::Result<Ident> {
    input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), format!("expected {what}")))
}

fn set<T>(
    slot: &mut Option<T>,
    value: T,
    key: impl quote::ToTokens,
    name: &str,
) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new_spanned(
            key,
            format!("duplicate argument `{name}`"),
        ));
    }
    *slot = Some(value);
    Ok(())
}
