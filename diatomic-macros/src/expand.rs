//! Writes the channel: the struct unchanged, its producer count, a named
//! sender and receiver that dereference to the generic runtime (and the
//! same pair borrowing a `Channel`, for a `static`), the `into_channel`
//! constructor, and the `Halves` impl through which `Channel::split` names
//! the borrowed pair. No `unsafe`, absolute paths only.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::{Generics, Ident};

use crate::args::Count;
use crate::validate::Channel;

pub(crate) fn expand(channel: &Channel) -> TokenStream {
    let Channel {
        item,
        sender,
        receiver,
        sender_ref,
        receiver_ref,
        producers,
        receivers,
        krate,
    } = channel;
    let vis = &item.vis;
    let name = &item.ident;
    let (impl_generics, type_generics, where_clause) = item.generics.split_for_impl();
    let rt = quote!(#krate::__private);
    let core_ty = quote!(#name #type_generics);

    // `where` clauses of the generated items: the struct's own, plus the
    // contract, which the runtime types require.
    let mut bounds = where_clause
        .map(|w| {
            w.predicates
                .iter()
                .map(|p| quote!(#p,))
                .collect::<TokenStream>()
        })
        .unwrap_or_default();
    let mode = match producers {
        Count::One => quote!(#rt::One),
        Count::Many => quote!(#rt::Many),
    };
    let (receiver_mode, receiver_half) = match receivers {
        Count::One => (quote!(#rt::One), quote!(#rt::Receiver)),
        Count::Many => (quote!(#rt::Many), quote!(#rt::SharedReceiver)),
    };
    // The contract, required by the runtime types. The mode is spelled out so
    // that it normalizes inside the generated items, whose `where` clause
    // would otherwise hide the `ProducerCount` impl below. Every token gets
    // the struct name's span: for a non-generic struct that does not
    // implement the contract, the (trivially false) bound is reported there,
    // rather than at the attribute.
    bounds.extend(respan(
        quote!(#core_ty: #rt::ChannelCore<Producers = #mode, Receivers = #receiver_mode>,),
        name.span(),
    ));

    // The borrowed halves take a lifetime before the struct's parameters.
    let mut borrowed_generics = item.generics.clone();
    borrowed_generics
        .params
        .insert(0, syn::parse_quote!('__channel));
    let borrowed = quote!(&'__channel #rt::Channel<#core_ty>);

    let arc_halves = [
        Half {
            name: sender,
            generics: &item.generics,
            inner: quote!(#rt::Sender<#core_ty, #mode>),
            side: Side::Sender,
            home: "shares its channel through an `Arc`",
        },
        Half {
            name: receiver,
            generics: &item.generics,
            inner: quote!(#receiver_half<#core_ty>),
            side: Side::Receiver,
            home: "shares its channel through an `Arc`",
        },
    ];
    let borrowed_halves = [
        Half {
            name: sender_ref,
            generics: &borrowed_generics,
            inner: quote!(#rt::Sender<#core_ty, #mode, #borrowed>),
            side: Side::Sender,
            home: "borrows its channel (from `Channel::split`)",
        },
        Half {
            name: receiver_ref,
            generics: &borrowed_generics,
            inner: quote!(#receiver_half<#core_ty, #borrowed>),
            side: Side::Receiver,
            home: "borrows its channel (from `Channel::split`)",
        },
    ];
    let expand_all = |halves: &[Half<'_>]| {
        halves
            .iter()
            .map(|half| {
                half.expand(
                    vis,
                    (name, &core_ty),
                    krate,
                    &rt,
                    &bounds,
                    (*producers, *receivers),
                )
            })
            .collect::<TokenStream>()
    };
    let arc_halves = expand_all(&arc_halves);
    let borrowed_halves = expand_all(&borrowed_halves);

    let (_, borrowed_type_generics, _) = borrowed_generics.split_for_impl();

    quote! {
        #item

        #[automatically_derived]
        impl #impl_generics #rt::ProducerCount for #core_ty #where_clause {
            type Producers = #mode;
        }

        #[automatically_derived]
        impl #impl_generics #rt::ConsumerCount for #core_ty #where_clause {
            type Receivers = #receiver_mode;
        }

        // Only where channels can live in an `Arc` (the runtime's `alloc`).
        #rt::if_alloc! {
            #arc_halves

            impl #impl_generics #core_ty where #bounds {
                /// Turns this core into a channel: its sender and its receiver,
                /// sharing it through an `Arc`.
                #vis fn into_channel(self) -> (#sender #type_generics, #receiver #type_generics) {
                    let (sender, receiver) = #rt::channel(self);
                    (#sender { inner: sender }, #receiver { inner: receiver })
                }
            }
        }

        #borrowed_halves

        #[automatically_derived]
        impl #impl_generics #rt::Halves for #core_ty where #bounds {
            type SenderRef<'__channel> = #sender_ref #borrowed_type_generics where Self: '__channel;
            type ReceiverRef<'__channel> = #receiver_ref #borrowed_type_generics where Self: '__channel;
            fn name_borrowed<'__channel>(
                sender: #rt::Sender<Self, #mode, &'__channel #rt::Channel<Self>>,
                receiver: #receiver_half<Self, &'__channel #rt::Channel<Self>>,
            ) -> (Self::SenderRef<'__channel>, Self::ReceiverRef<'__channel>)
            where
                Self: '__channel,
            {
                (#sender_ref { inner: sender }, #receiver_ref { inner: receiver })
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Sender,
    Receiver,
}

/// One of the four named halves: a struct around a generic half, and the
/// impls that make it behave as that half.
struct Half<'a> {
    name: &'a Ident,
    generics: &'a Generics,
    inner: TokenStream,
    side: Side,
    /// How it holds on to the channel, for its docs.
    home: &'static str,
}

impl Half<'_> {
    fn expand(
        &self,
        vis: &syn::Visibility,
        (core, core_ty): (&Ident, &TokenStream),
        krate: &syn::Path,
        rt: &TokenStream,
        bounds: &TokenStream,
        (producers, receivers): (Count, Count),
    ) -> TokenStream {
        let Half {
            name,
            generics,
            inner,
            side,
            home,
        } = self;
        let params = &generics.params;
        let (impl_generics, type_generics, _) = generics.split_for_impl();
        let ty = quote!(#name #type_generics);
        let (what, generic) = match (side, receivers) {
            (Side::Sender, _) => ("sending", "Sender"),
            (Side::Receiver, Count::One) => ("receiving", "Receiver"),
            (Side::Receiver, Count::Many) => ("receiving", "SharedReceiver"),
        };
        let doc = format!(
            "The {what} half of the [`{core}`] channel that {home} \
             (generated by `#[async_channel]`).\n\n\
             Its methods are those of the generic [`{generic}`]({krate}::{generic}) \
             it dereferences to.",
            krate = doc_path(krate)
        );
        let deref_mut = quote! {
            #[automatically_derived]
            impl #impl_generics #rt::core::ops::DerefMut for #ty where #bounds {
                fn deref_mut(&mut self) -> &mut Self::Target {
                    &mut self.inner
                }
            }
        };
        let clone = quote! {
            #[automatically_derived]
            impl #impl_generics #rt::core::clone::Clone for #ty where #bounds {
                fn clone(&self) -> Self {
                    Self { inner: #rt::core::clone::Clone::clone(&self.inner) }
                }
            }
        };
        let stream = quote! {
            #[automatically_derived]
            impl #impl_generics #rt::Stream for #ty where #bounds {
                type Item = <#core_ty as #rt::ChannelCore>::Item;
                fn poll_next(
                    self: #rt::core::pin::Pin<&mut Self>,
                    cx: &mut #rt::core::task::Context<'_>,
                ) -> #rt::core::task::Poll<#rt::core::option::Option<Self::Item>> {
                    #rt::Stream::poll_next(
                        #rt::core::pin::Pin::new(&mut #rt::core::pin::Pin::into_inner(self).inner),
                        cx,
                    )
                }
            }
        };
        // Where the generic half is a `FusedStream` (a core with
        // `Occupancy`). The bound is higher-ranked so that it is not a
        // trivial one: a core without `Occupancy` still expands, and only
        // its named receiver is not fused.
        let fused = quote! {
            #[automatically_derived]
            impl #impl_generics #rt::FusedStream for #ty
            where
                #bounds
                for<'__fused> #inner: #rt::FusedStream,
            {
                fn is_terminated(&self) -> bool {
                    #rt::FusedStream::is_terminated(&self.inner)
                }
            }
        };
        let stream = quote! {
            #stream
            #fused
        };
        let extra = match (side, producers, receivers) {
            (Side::Sender, Count::One, _) => deref_mut,
            (Side::Sender, Count::Many, _) => clone,
            (Side::Receiver, _, Count::One) => quote! {
                #deref_mut
                #stream
            },
            // A shared receiver's `Stream` keeps its place in a box.
            (Side::Receiver, _, Count::Many) => quote! {
                #clone
                #deref_mut
                #rt::if_alloc! { #stream }
            },
        };
        quote! {
            #[doc = #doc]
            #vis struct #name <#params> where #bounds {
                inner: #inner,
            }

            impl #impl_generics #ty where #bounds {
                /// The generic half this one names (for its methods that take
                /// `self`, such as `into_sink`).
                #vis fn into_inner(self) -> #inner {
                    self.inner
                }
            }

            const _: () = {
                #[automatically_derived]
                impl #impl_generics #rt::core::ops::Deref for #ty where #bounds {
                    type Target = #inner;
                    fn deref(&self) -> &Self::Target {
                        &self.inner
                    }
                }

                #[automatically_derived]
                impl #impl_generics #rt::core::convert::From<#inner> for #ty where #bounds {
                    fn from(inner: #inner) -> Self {
                        Self { inner }
                    }
                }

                #[automatically_derived]
                impl #impl_generics #rt::core::fmt::Debug for #ty where #bounds {
                    fn fmt(&self, f: &mut #rt::core::fmt::Formatter<'_>) -> #rt::core::fmt::Result {
                        f.debug_tuple(#rt::core::stringify!(#name)).field(&self.inner).finish()
                    }
                }

                #extra
            };
        }
    }
}

/// Gives every token of `tokens` the span `span`.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// `path` as written in an intra-doc link (no leading `::`).
fn doc_path(path: &syn::Path) -> String {
    quote!(#path)
        .to_string()
        .replace(' ', "")
        .trim_start_matches("::")
        .to_string()
}
