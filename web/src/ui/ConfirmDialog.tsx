/** A modal question before a step that cannot be undone (React Aria: focus trapped, Escape cancels). */
import { type ReactNode, useState } from 'react'
import { Button, Dialog, Heading, Modal } from 'react-aria-components'
import './aria.js'

export interface Confirmation {
  title: string
  body?: ReactNode
  /** The confirming button's text ("Leave", "Delete"). */
  confirm: string
  /** The other button's text; "Cancel" unless given. */
  cancel?: string
  onConfirm: () => void
}

export function ConfirmDialog({ request, onClose, role = 'alertdialog' }: { request: Confirmation | null; onClose: () => void; role?: 'dialog' | 'alertdialog' }) {
  return (
    <Modal isOpen={!!request} onOpenChange={(open) => !open && onClose()} isDismissable className="modal">
      <Dialog role={role} className="dialog">
        {request && (
          <>
            <Heading slot="title">{request.title}</Heading>
            {request.body && <div className="dialog-body">{request.body}</div>}
            <div className="button-row">
              <Button
                className="primary"
                onPress={() => {
                  onClose()
                  request.onConfirm()
                }}
              >
                {request.confirm}
              </Button>
              <Button slot="close">{request.cancel ?? 'Cancel'}</Button>
            </div>
          </>
        )}
      </Dialog>
    </Modal>
  )
}

/** `confirm({ title, confirm, onConfirm })` opens the dialog; render `dialog` once in the page. */
export function useConfirm() {
  const [request, setRequest] = useState<Confirmation | null>(null)
  const dialog = <ConfirmDialog request={request} onClose={() => setRequest(null)} />
  return { confirm: setRequest, dialog }
}
