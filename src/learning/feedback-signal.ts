/** The parts of a feedback row that count as evidence about the option the task ran on. */
export interface FeedbackSignalInput {
  satisfaction?: string | null
  rating?: number | null
  issue_type?: string | null
}

/**
 * What a feedback adds to its option's Beta posterior, as a weighted pseudo-outcome:
 * 'wrong_model', 'poor' or rating <= 2 count as a failure of weight w (default 0.5, half a hard outcome);
 * 'fair' or rating 3 as a failure of weight w/2; 'excellent' or rating 5 as a success of weight w/2;
 * anything else adds nothing.
 */
export function feedbackSignal(
  f: FeedbackSignalInput,
  weight: number,
): { success: number; weight: number } | null {
  if (f.issue_type === 'wrong_model' || f.satisfaction === 'poor' || (f.rating != null && f.rating <= 2)) {
    return { success: 0, weight }
  }
  if (f.satisfaction === 'fair' || f.rating === 3) return { success: 0, weight: weight / 2 }
  if (f.satisfaction === 'excellent' || f.rating === 5) return { success: 1, weight: weight / 2 }
  return null
}
