// Private and `pub(crate)` cores: the generated halves take their visibility.
mod inner {
    use std::sync::atomic::{AtomicBool, Ordering};

    use diatomic_channels::{async_channel, ChannelCore, Consumer, Many, Producer};

    /// Visible in the crate, with its halves.
    #[async_channel]
    pub(crate) struct Flag {
        set: AtomicBool,
    }

    impl Flag {
        pub(crate) fn new() -> Self {
            Self { set: AtomicBool::new(false) }
        }
    }

    impl ChannelCore for Flag {
        type Item = ();
        fn try_push(&self, (): (), _: Producer<'_, Many>) -> Result<(), ()> {
            match self.set.swap(true, Ordering::AcqRel) {
                true => Err(()),
                false => Ok(()),
            }
        }
        fn try_pop(&self, _: Consumer<'_>) -> Option<()> {
            self.set.swap(false, Ordering::AcqRel).then_some(())
        }
    }

    // Private: usable in this module only.
    #[async_channel(sender = PrivTx, receiver = PrivRx)]
    struct Private {
        set: AtomicBool,
    }

    impl ChannelCore for Private {
        type Item = ();
        fn try_push(&self, (): (), _: Producer<'_, Many>) -> Result<(), ()> {
            if self.set.swap(true, Ordering::AcqRel) { Err(()) } else { Ok(()) }
        }
        fn try_pop(&self, _: Consumer<'_>) -> Option<()> {
            self.set.swap(false, Ordering::AcqRel).then_some(())
        }
    }

    pub(crate) fn private_round_trip() -> bool {
        let (tx, mut rx): (PrivTx, PrivRx) = Private { set: AtomicBool::new(false) }.into_channel();
        tx.try_send(()).is_ok() && rx.try_recv().is_ok()
    }
}

fn main() {
    let (tx, mut rx): (inner::FlagSender, inner::FlagReceiver) = inner::Flag::new().into_channel();
    tx.try_send(()).unwrap();
    assert_eq!(rx.try_recv(), Ok(()));
    assert!(inner::private_round_trip());
}
